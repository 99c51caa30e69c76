// Registry failures: HTTP status and the OCI `errors[]` list translated into coded mlbuild errors.
import { MlbuildError, type ErrorCode } from '../core/errors.js';

/** One entry of an OCI distribution error body. */
export interface OciErrorEntry {
  code: string;
  message?: string;
  detail?: unknown;
}

/** An MlbuildError that also carries the HTTP status and the registry's own error codes. */
export class RegistryError extends MlbuildError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly status: number,
    readonly errors: OciErrorEntry[] = [],
    opts: { cause?: unknown; hint?: string; temporary?: boolean } = {},
  ) {
    super(code, message, opts);
  }

  /** True when the status says the caller lacks (valid) credentials. */
  get isAuth(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

const MAX_ERROR_BODY = 64 * 1024;

/** Parses an OCI error body; anything else yields an empty list. */
export function parseOciErrors(text: string): OciErrorEntry[] {
  try {
    const json = JSON.parse(text) as { errors?: unknown };
    if (!Array.isArray(json.errors)) return [];
    return json.errors
      .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
      .map((e) => ({ code: String(e.code ?? 'UNKNOWN'), message: typeof e.message === 'string' ? e.message : undefined, detail: e.detail }));
  } catch {
    return [];
  }
}

/** True when a status is worth retrying: timeouts, throttling, server errors. */
export function isTemporaryStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Reads (a capped part of) a failed response and turns it into a RegistryError; `what` names the request. */
export async function responseError(res: Response, what: string, host?: string): Promise<RegistryError> {
  let text = '';
  try {
    text = (await res.text()).slice(0, MAX_ERROR_BODY);
  } catch {
    // the body is only used for the message
  }
  return statusError(res.status, what, parseOciErrors(text), host);
}

/** Builds the RegistryError for an HTTP status and parsed OCI errors. */
export function statusError(status: number, what: string, errors: OciErrorEntry[], host?: string): RegistryError {
  const detail = errors.map((e) => (e.message ? `${e.code}: ${e.message}` : e.code)).join('; ');
  const suffix = detail ? ` (${detail})` : '';
  if (status === 401 || status === 403) {
    const verb = status === 401 ? 'authentication required' : 'access denied';
    return new RegistryError('REGISTRY_ERROR', `${what}: ${verb}${suffix}`, status, errors, {
      hint: host ? `log in with \`docker login ${host}\` or check the credentials for it` : 'check the registry credentials',
    });
  }
  if (status === 404) return new RegistryError('NOT_FOUND', `${what}: not found${suffix}`, status, errors);
  const temporary = isTemporaryStatus(status);
  return new RegistryError('REGISTRY_ERROR', `${what}: HTTP ${status}${suffix}`, status, errors, { temporary });
}
