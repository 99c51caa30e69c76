// Blobs through the gate: streamed from the upstream, digest-checked as they flow (a mismatch aborts the response),
// never buffered whole; with `--blobs verified` only blobs reachable from an approved manifest.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Digest } from '../core/digest.js';
import type { GateContext } from './context.js';
import { deny, toGateError } from './oci-error.js';

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
  const repo = { registry: ctx.deps.upstreamHost, name };
  let size: number | undefined;
  try {
    size = await ctx.metrics.timed(() => ctx.deps.upstream.blobSize(repo, digest));
  } catch (e) {
    throw toGateError(e, `blob ${name}@${digest}`, 'BLOB_UNKNOWN');
  }
  if (size === undefined) deny(404, 'BLOB_UNKNOWN', `blob ${name}@${digest} not found upstream`);
  const headers = { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size), 'Docker-Content-Digest': digest, ETag: `"${digest}"` };
  if (req.method === 'HEAD') {
    res.writeHead(200, headers);
    res.end();
    return;
  }
  const body = ctx.deps.upstream.getBlob(repo, digest, { size })[Symbol.asyncIterator]();
  // The first chunk before the headers: an upstream that fails at once still gets a proper OCI error.
  let first: IteratorResult<Buffer>;
  try {
    first = await body.next();
  } catch (e) {
    throw toGateError(e, `blob ${name}@${digest}`, 'BLOB_UNKNOWN');
  }
  res.writeHead(200, headers);
  // Each chunk is held back until the next one arrives, and the last until the digest checked out: a client never
  // receives a complete body whose bytes do not match.
  let held: Buffer | undefined;
  try {
    for (let r = first; !r.done; r = await body.next()) {
      if (res.destroyed) break;
      if (held && !res.write(held)) await drained(res);
      held = r.value;
    }
  } catch (e) {
    ctx.events({ type: 'log', level: 'warn', message: `gate: blob ${name}@${digest} aborted: ${(e as Error).message}` });
    res.destroy();
    await body.return?.(undefined).catch(() => undefined);
    return;
  }
  if (held && !res.destroyed) res.write(held);
  if (res.destroyed) await body.return?.(undefined).catch(() => undefined);
  else res.end();
}
