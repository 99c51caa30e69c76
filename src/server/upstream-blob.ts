// Opening an upstream blob for streaming: over node:http(s) with the session's current credentials (the fast path:
// no web-stream layers), else through the session's fetch, which also learns auth challenges and follows redirects.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Digest } from '../core/digest.js';
import { repositoryScope, responseError, type RegistrySession } from '../registry/index.js';
import { deny } from './oci-error.js';

/** An open upstream blob: its declared size and its bytes (not yet checked). */
export interface UpstreamBlob {
  size: number;
  body: AsyncIterable<Uint8Array>;
  cancel(): void;
}

/** Longest pause between two chunks (and before the headers) on the fast path. */
const IDLE_MS = 60_000;

function sizeOf(value: string | null | undefined, what: string): number {
  const size = Number(value);
  if (value === null || value === undefined || !Number.isSafeInteger(size) || size < 0) deny(502, 'UNAVAILABLE', `${what}: upstream sent no usable Content-Length`);
  return size;
}

function fastGet(url: URL, headers: Record<string, string>): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method: 'GET', headers, timeout: IDLE_MS }, resolve);
    req.on('timeout', () => req.destroy(new Error(`no data for ${IDLE_MS} ms`)));
    req.on('error', reject);
    req.end();
  });
}

async function* webChunks(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const step = await reader.read();
      if (step.done) return;
      yield step.value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** Opens `name@digest` upstream for a GET (or HEAD: an empty body). */
export async function openUpstreamBlob(s: RegistrySession, name: string, digest: Digest, method: 'GET' | 'HEAD'): Promise<UpstreamBlob> {
  const what = `blob ${name}@${digest}`;
  const path = `/v2/${name}/blobs/${digest}`;
  const scopes = [repositoryScope(name, 'pull')];
  if (method === 'GET') {
    const auth = await s.authorization(scopes);
    const msg = await fastGet(s.url(path), { 'User-Agent': s.policy.userAgent, ...(auth ? { Authorization: auth } : {}) }).catch(() => undefined);
    if (msg?.statusCode === 200) {
      const len = msg.headers['content-length'];
      if (len === undefined) msg.destroy();
      return { size: sizeOf(len, what), body: msg, cancel: () => msg.destroy() };
    }
    // Challenges, redirects, errors and retries: the session's own path.
    msg?.resume();
  }
  const res = await s.request({ method, path, scopes, retry: true, what });
  if (!res.ok) throw await responseError(res, what, s.registry);
  const size = sizeOf(res.headers.get('content-length'), what);
  const body = res.body;
  if (!body || method === 'HEAD') {
    await body?.cancel().catch(() => undefined);
    return { size, body: (async function* () {})(), cancel: () => undefined };
  }
  return { size, body: webChunks(body), cancel: () => void body.cancel().catch(() => undefined) };
}
