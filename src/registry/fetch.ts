// The one fetch wrapper of the registry client: user agent, timeouts, bounded retries with backoff and jitter.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { MlbuildError, describeError, isMlbuildError } from '../core/errors.js';
import { noEvents, type EventSink } from '../core/events.js';
import { isTemporaryStatus } from './errors.js';

/** How requests are sent and retried. */
export interface FetchPolicy {
  userAgent: string;
  /** Total attempts for a retryable request, including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest `Retry-After` honoured; longer waits are cut to this. */
  retryAfterCapMs: number;
  /** Time allowed until the response headers arrive. */
  timeoutMs: number;
  events: EventSink;
}

/** One HTTP request; only requests marked `retry` (idempotent, replayable body) are retried. */
export interface FetchRequest {
  method: string;
  url: URL;
  headers?: Record<string, string>;
  /** A stream body is sent once (never retried); the gate forwards uploads this way. */
  body?: Buffer | string | ReadableStream<Uint8Array>;
  retry?: boolean;
  /** Names the request in errors and events. */
  what: string;
}

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'dev';
  } catch {
    return 'dev';
  }
}

/** The user agent sent with every request, `mlbuild/<version>`. */
export const USER_AGENT = `mlbuild/${readVersion()}`;

/** The defaults: 4 attempts, 200 ms doubling to 5 s, Retry-After honoured up to 10 s, 30 s to first byte. */
export const DEFAULT_FETCH_POLICY: FetchPolicy = {
  userAgent: USER_AGENT,
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 5000,
  retryAfterCapMs: 10_000,
  timeoutMs: 30_000,
  events: noEvents,
};

/** Parses a `Retry-After` header (seconds or HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The wait before retry number `attempt` (1-based): exponential, capped, with jitter in [50%, 100%]. */
export function backoffDelay(attempt: number, policy: Pick<FetchPolicy, 'baseDelayMs' | 'maxDelayMs'>): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling * (0.5 + Math.random() * 0.5));
}

function networkError(e: unknown, req: FetchRequest, timedOut: boolean, timeoutMs: number): MlbuildError {
  if (isMlbuildError(e)) return e;
  const cause = (e as { cause?: { code?: string } }).cause;
  const code = cause?.code ?? (e as NodeJS.ErrnoException).code;
  const why = timedOut
    ? `no response within ${timeoutMs} ms`
    : code === 'ECONNREFUSED'
      ? 'connection refused'
      : describeError(cause ?? e);
  return new MlbuildError('REGISTRY_UNREACHABLE', `${req.what}: ${why} (${req.url.host})`, { cause: e, temporary: true });
}

async function attemptOnce(req: FetchRequest, policy: FetchPolicy): Promise<Response> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, policy.timeoutMs);
  try {
    return await fetch(req.url, {
      method: req.method,
      headers: { 'User-Agent': policy.userAgent, ...req.headers },
      body: req.body,
      ...(req.body instanceof ReadableStream ? { duplex: 'half' as const } : {}),
      signal: controller.signal,
      redirect: 'follow',
    });
  } catch (e) {
    throw networkError(e, req, timedOut, policy.timeoutMs);
  } finally {
    clearTimeout(timer);
  }
}

/** Sends a request; retries network errors and 408/429/5xx when `req.retry`; returns the last response. */
export async function registryFetch(req: FetchRequest, policy: FetchPolicy = DEFAULT_FETCH_POLICY): Promise<Response> {
  const attempts = req.retry && !(req.body instanceof ReadableStream) ? Math.max(1, policy.maxAttempts) : 1;
  for (let attempt = 1; ; attempt++) {
    let res: Response | undefined;
    let error: MlbuildError | undefined;
    try {
      res = await attemptOnce(req, policy);
    } catch (e) {
      error = e as MlbuildError;
    }
    const again = attempt < attempts && (error !== undefined || (res !== undefined && isTemporaryStatus(res.status)));
    if (!again) {
      if (error) throw error;
      return res as Response;
    }
    let wait = backoffDelay(attempt, policy);
    const retryAfter = res ? parseRetryAfter(res.headers.get('retry-after')) : undefined;
    if (retryAfter !== undefined) wait = Math.min(Math.max(wait, retryAfter), policy.retryAfterCapMs);
    // A network error's message already starts with what was asked; an HTTP status does not.
    const reason = error ? error.message : `${req.what}: HTTP ${res?.status}`;
    await res?.body?.cancel().catch(() => undefined);
    policy.events({
      type: 'log',
      level: 'warn',
      message: `registry: ${reason}; retry ${attempt}/${attempts - 1} in ${wait} ms`,
    });
    await sleep(wait);
  }
}
