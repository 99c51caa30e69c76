// Parsing AdmissionReview v1 requests as the API server sends them; anything else is a typed refusal.

/** The group/version/kind of the object under review. */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** The fields of an AdmissionReview v1 request the webhook reads. */
export interface AdmissionRequest {
  uid: string;
  kind: GroupVersionKind;
  namespace: string;
  operation: string;
  dryRun: boolean;
  /** The object as it will be stored (absent for DELETE). */
  object: unknown;
}

/** A review the webhook cannot answer: without a uid there is nobody to answer (HTTP 400); else a denial. */
export class BadReview extends Error {
  constructor(
    message: string,
    readonly uid?: string,
  ) {
    super(message);
    this.name = 'BadReview';
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses a request body into an AdmissionRequest; throws BadReview naming the first problem. */
export function parseReview(body: string): AdmissionRequest {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    throw new BadReview('body is not JSON');
  }
  if (!isObject(doc)) throw new BadReview('body is not a JSON object');
  if (doc.apiVersion !== 'admission.k8s.io/v1' || doc.kind !== 'AdmissionReview') throw new BadReview('not an AdmissionReview admission.k8s.io/v1');
  const r = doc.request;
  if (!isObject(r)) throw new BadReview('AdmissionReview has no request');
  if (typeof r.uid !== 'string' || r.uid === '' || r.uid.length > 256) throw new BadReview('request.uid is missing or not a string');
  const uid = r.uid;
  const k = r.kind;
  if (!isObject(k) || typeof k.kind !== 'string' || typeof k.version !== 'string') throw new BadReview('request.kind is missing or malformed', uid);
  if (typeof r.operation !== 'string') throw new BadReview('request.operation is missing', uid);
  if (r.namespace !== undefined && typeof r.namespace !== 'string') throw new BadReview('request.namespace is not a string', uid);
  if (r.dryRun !== undefined && typeof r.dryRun !== 'boolean') throw new BadReview('request.dryRun is not a boolean', uid);
  return {
    uid,
    kind: { group: typeof k.group === 'string' ? k.group : '', version: k.version, kind: k.kind },
    namespace: typeof r.namespace === 'string' ? r.namespace : '',
    operation: r.operation,
    dryRun: r.dryRun === true,
    object: r.object,
  };
}
