// Building AdmissionReview v1 responses: the uid echoed, allowed or denied with a status, an optional JSONPatch.

/** One JSONPatch operation (RFC 6902) the webhook emits. */
export interface PatchOp {
  op: 'replace';
  path: string;
  value: string;
}

/** What a handler decided for one request. */
export interface Verdict {
  allowed: boolean;
  /** HTTP-like status code of a denial (403 policy, 400 bad request, 504 deadline, 503 error). */
  code?: number;
  message?: string;
  patch?: PatchOp[];
  warnings?: string[];
}

/** The API server shows the message to users; long ones are cut so the response stays small. */
const MAX_MESSAGE = 4000;

/** The AdmissionReview v1 response document for `uid`. */
export function reviewResponse(uid: string, v: Verdict): Record<string, unknown> {
  const response: Record<string, unknown> = { uid, allowed: v.allowed };
  if (!v.allowed || v.message) {
    const message = v.message ?? '';
    response.status = { code: v.code ?? (v.allowed ? 200 : 403), message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message };
  }
  if (v.allowed && v.patch && v.patch.length > 0) {
    response.patchType = 'JSONPatch';
    response.patch = Buffer.from(JSON.stringify(v.patch)).toString('base64');
  }
  if (v.warnings && v.warnings.length > 0) response.warnings = v.warnings.slice(0, 20);
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response };
}
