// One registry host: its base URL, its authorizer, and requests that answer 401 challenges once.
import type { Authorizer } from './auth.js';
import { registryFetch, type FetchPolicy } from './fetch.js';

/** A request to one registry; `path` is relative to the API base or an absolute URL (e.g. an upload Location). */
export interface SessionRequest {
  method: string;
  path: string | URL;
  /** Token scopes the request needs, e.g. `repository:ns/app:pull`. */
  scopes: string[];
  headers?: Record<string, string>;
  body?: Buffer | string | ReadableStream<Uint8Array>;
  /** Safe to send again (idempotent, replayable body). */
  retry?: boolean;
  what: string;
}

/** Sends authorized requests to one registry host. */
export class RegistrySession {
  constructor(
    /** The registry as named in references, e.g. `127.0.0.1:5000` or `docker.io`. */
    readonly registry: string,
    readonly baseUrl: URL,
    private readonly authorizer: Authorizer,
    readonly policy: FetchPolicy,
  ) {}

  /** Resolves a path or Location header against the API base URL. */
  url(path: string | URL): URL {
    return path instanceof URL ? path : new URL(path, this.baseUrl);
  }

  /** The Authorization header the session would send for `scopes` now (undefined before any challenge). */
  async authorization(scopes: string[]): Promise<string | undefined> {
    return this.authorizer.header(scopes);
  }

  /** Sends the request with authorization; on a 401 learns the challenge and sends it once more. */
  async request(req: SessionRequest): Promise<Response> {
    const url = this.url(req.path);
    const sameOrigin = url.origin === this.baseUrl.origin;
    const send = async (): Promise<Response> => {
      const auth = sameOrigin ? await this.authorizer.header(req.scopes) : undefined;
      const headers = { ...req.headers, ...(auth ? { Authorization: auth } : {}) };
      return registryFetch({ method: req.method, url, headers, body: req.body, retry: req.retry, what: req.what }, this.policy);
    };
    const res = await send();
    if (res.status !== 401 || !sameOrigin) return res;
    // A stream body is gone once sent: the caller sees the 401 (the challenge is learnt for its next request).
    if (!(await this.authorizer.challenge(res, req.scopes)) || req.body instanceof ReadableStream) return res;
    await res.body?.cancel().catch(() => undefined);
    return send();
  }
}
