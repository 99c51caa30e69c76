// The HTTP door: POST /admission/mutate and /admission/validate on any Node listener the gate mounts it on.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeError, noEvents } from '../../core/index.js';
import { mutateReview } from './mutate.js';
import { reviewResponse, type Verdict } from './response.js';
import { BadReview, parseReview } from './review.js';
import { DEFAULT_ADMISSION_CONFIG, type AdmissionDeps } from './types.js';
import { validateReview } from './validate.js';

/** Reviews carry the object and its old version; Kubernetes objects are at most 1.5 MiB each. */
const MAX_BODY = 8 << 20;
/** Time kept back from the API server's own timeout, so the answer arrives before it gives up. */
const TIMEOUT_MARGIN_MS = 500;

/** A request handler for the admission endpoints; resolves true when it answered the request. */
export type AdmissionHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(data)), ...headers });
  res.end(data);
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts).toString('utf8');
}

/** The API server's `?timeout=10s` query parameter in milliseconds, if present. */
function callerTimeout(url: URL): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(url.searchParams.get('timeout') ?? '');
  if (!m) return undefined;
  return Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60_000);
}

/** Routes for the admission endpoints; other paths are left to the caller (the handler resolves false). */
export function admissionRoutes(deps: AdmissionDeps): AdmissionHandler {
  const config = deps.config ?? DEFAULT_ADMISSION_CONFIG;
  const events = deps.events ?? noEvents;
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://admission');
    const route = url.pathname === '/admission/mutate' ? 'mutate' : url.pathname === '/admission/validate' ? 'validate' : undefined;
    if (!route) return false;
    if (req.method !== 'POST') {
      send(res, 405, { error: 'admission endpoints take POST' }, { Allow: 'POST' });
      return true;
    }
    const started = Date.now();
    let uid: string | undefined;
    try {
      const body = await readBody(req);
      if (body === undefined) {
        send(res, 413, { error: `AdmissionReview over ${MAX_BODY} bytes` });
        return true;
      }
      const review = parseReview(body);
      uid = review.uid;
      const budget = Math.min(config.deadlineMs, (callerTimeout(url) ?? Infinity) - TIMEOUT_MARGIN_MS);
      const deadline = started + Math.max(0, budget);
      const verdict: Verdict = route === 'mutate' ? await mutateReview(review, deps.decide, config, deadline) : await validateReview(review, deps.decide, config, deadline);
      send(res, 200, reviewResponse(review.uid, verdict));
      events({ type: 'log', level: 'info', message: JSON.stringify({ admission: route, uid, namespace: review.namespace, kind: review.kind.kind, dryRun: review.dryRun, allowed: verdict.allowed, patched: verdict.patch?.length ?? 0, message: verdict.message, ms: Date.now() - started }) });
    } catch (e) {
      const bad = e instanceof BadReview;
      const message = bad ? `mlbuild: malformed AdmissionReview: ${e.message}` : `mlbuild: admission failed: ${describeError(e)}`;
      uid = bad ? (e.uid ?? uid) : uid;
      if (res.headersSent) res.destroy();
      else if (uid !== undefined) send(res, 200, reviewResponse(uid, { allowed: false, code: bad ? 400 : 500, message }));
      else send(res, bad ? 400 : 500, { error: message });
      events({ type: 'log', level: 'warn', message: JSON.stringify({ admission: route, uid, allowed: false, message, ms: Date.now() - started }) });
    }
    return true;
  };
}
