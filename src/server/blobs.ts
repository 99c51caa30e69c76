// Blobs through the gate: streamed from the upstream, hashed as they flow, never buffered whole; the last chunk is
// held back until size and digest match, so a client never receives a complete body with the wrong bytes. With
// `--blobs verified` only blobs reachable from an approved manifest are served.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Digest } from '../core/digest.js';
import type { GateContext } from './context.js';
import { deny, toGateError } from './oci-error.js';
import { openUpstreamBlob, type UpstreamBlob } from './upstream-blob.js';

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

/** Serves GET/HEAD /v2/<name>/blobs/<digest>. */
export async function serveBlob(ctx: GateContext, req: IncomingMessage, res: ServerResponse, name: string, digest: Digest): Promise<void> {
  if (ctx.deps.blobs === 'verified' && !ctx.reachable.has(`${name}@${digest}`)) {
    deny(403, 'DENIED', `blob ${name}@${digest} is not reachable from a manifest this gate approved`);
  }
  const head = req.method === 'HEAD';
  const what = `blob ${name}@${digest}`;
  let up: UpstreamBlob;
  try {
    up = await ctx.metrics.timed(() => openUpstreamBlob(ctx.deps.upstream.session(ctx.deps.upstreamHost), name, digest, head ? 'HEAD' : 'GET'));
  } catch (e) {
    throw toGateError(e, what, 'BLOB_UNKNOWN');
  }
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(up.size), 'Docker-Content-Digest': digest, ETag: `"${digest}"` });
  if (head) {
    up.cancel();
    res.end();
    return;
  }
  const hash = createHash('sha256');
  const abort = (why: string): void => {
    ctx.events({ type: 'log', level: 'warn', message: `gate: ${what} aborted: ${why}` });
    res.destroy();
    up.cancel();
  };
  let held: Uint8Array | undefined;
  let bytes = 0;
  try {
    for await (const chunk of up.body) {
      if (res.destroyed) break;
      bytes += chunk.byteLength;
      if (bytes > up.size) return abort(`more than the ${up.size} bytes declared`);
      hash.update(chunk);
      if (held && !res.write(held)) await drained(res);
      held = chunk;
    }
  } catch (e) {
    return abort(`upstream stream failed: ${(e as Error).message}`);
  }
  if (res.destroyed) return up.cancel();
  const got = `sha256:${hash.digest('hex')}`;
  if (bytes !== up.size || got !== digest) return abort(`got ${bytes} bytes with digest ${got}`);
  res.end(held);
}
