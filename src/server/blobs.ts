// Blobs through the gate: streamed from the upstream, hashed as they flow, never buffered whole; the last chunk is
// held back until size and digest match, so a client never receives a complete body with the wrong bytes. With
// `--blobs verified` only blobs reachable from an approved manifest are served.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Digest } from '../core/digest.js';
import { repositoryScope, responseError } from '../registry/index.js';
import type { GateContext } from './context.js';
import { deny, toGateError } from './oci-error.js';

/** Longest pause between two chunks of an upstream blob before the stream is aborted. */
const IDLE_MS = 60_000;

/** Waits until the response can take more bytes or is gone, leaving no listener behind. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise<void>((ok) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      ok();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

async function openUpstream(ctx: GateContext, name: string, digest: Digest, method: 'GET' | 'HEAD'): Promise<{ res: Response; size: number }> {
  const s = ctx.deps.upstream.session(ctx.deps.upstreamHost);
  const what = `blob ${name}@${digest}`;
  try {
    const res = await ctx.metrics.timed(() => s.request({ method, path: `/v2/${name}/blobs/${digest}`, scopes: [repositoryScope(name, 'pull')], retry: true, what }));
    if (!res.ok) throw await responseError(res, what, ctx.deps.upstreamHost);
    const size = Number(res.headers.get('content-length'));
    if (!Number.isSafeInteger(size) || size < 0) {
      await res.body?.cancel().catch(() => undefined);
      deny(502, 'UNAVAILABLE', `${what}: upstream sent no usable Content-Length`);
    }
    return { res, size };
  } catch (e) {
    throw toGateError(e, what, 'BLOB_UNKNOWN');
  }
}

/** Serves GET/HEAD /v2/<name>/blobs/<digest>. */
export async function serveBlob(ctx: GateContext, req: IncomingMessage, res: ServerResponse, name: string, digest: Digest): Promise<void> {
  if (ctx.deps.blobs === 'verified' && !ctx.reachable.has(`${name}@${digest}`)) {
    deny(403, 'DENIED', `blob ${name}@${digest} is not reachable from a manifest this gate approved`);
  }
  const head = req.method === 'HEAD';
  const up = await openUpstream(ctx, name, digest, head ? 'HEAD' : 'GET');
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(up.size), 'Docker-Content-Digest': digest, ETag: `"${digest}"` });
  if (head || !up.res.body) {
    await up.res.body?.cancel().catch(() => undefined);
    res.end();
    return;
  }
  const reader = up.res.body.getReader();
  const hash = createHash('sha256');
  const abort = (why: string): void => {
    ctx.events({ type: 'log', level: 'warn', message: `gate: blob ${name}@${digest} aborted: ${why}` });
    res.destroy();
    void reader.cancel().catch(() => undefined);
  };
  const idle = setTimeout(() => abort(`no data for ${IDLE_MS} ms`), IDLE_MS);
  let held: Uint8Array | undefined;
  let bytes = 0;
  try {
    for (;;) {
      const step = await reader.read();
      if (step.done || res.destroyed) break;
      idle.refresh();
      bytes += step.value.byteLength;
      if (bytes > up.size) return abort(`more than the ${up.size} bytes declared`);
      hash.update(step.value);
      if (held && !res.write(held)) await drained(res);
      held = step.value;
    }
  } catch (e) {
    return abort(`upstream stream failed: ${(e as Error).message}`);
  } finally {
    clearTimeout(idle);
  }
  if (res.destroyed) return void reader.cancel().catch(() => undefined);
  const got = `sha256:${hash.digest('hex')}`;
  if (bytes !== up.size || got !== digest) return abort(`got ${bytes} bytes with digest ${got}`);
  res.end(held);
}
