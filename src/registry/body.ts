// Reading response bodies: chunks with an idle timeout, capped reads, truncation reported as a digest failure.
import { fail, isMlbuildError } from '../core/errors.js';

/** How a body is read: `what` names it in errors; `expectedSize` turns an early end into DIGEST_MISMATCH. */
export interface BodyOptions {
  what: string;
  expectedSize?: number;
  /** Longest pause between two chunks before the read is abandoned. */
  idleTimeoutMs?: number;
}

/** The declared Content-Length of a response, when present and numeric. */
export function contentLength(res: Response): number | undefined {
  const v = res.headers.get('content-length');
  return v !== null && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** Yields a response body's chunks; a stall or a connection dropped mid-body becomes a coded error. */
export async function* bodyChunks(res: Response, opts: BodyOptions): AsyncGenerator<Buffer> {
  if (!res.body) return;
  const reader = res.body.getReader();
  const idle = opts.idleTimeoutMs ?? 60_000;
  let bytes = 0;
  let done = false;
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const stalled = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no data for ${idle} ms`)), idle);
      });
      let step: Awaited<ReturnType<typeof reader.read>>;
      try {
        step = await Promise.race([reader.read(), stalled]);
      } finally {
        clearTimeout(timer);
      }
      if (step.done) {
        done = true;
        return;
      }
      bytes += step.value.byteLength;
      yield Buffer.from(step.value.buffer, step.value.byteOffset, step.value.byteLength);
    }
  } catch (e) {
    if (isMlbuildError(e)) throw e;
    if (opts.expectedSize !== undefined && bytes < opts.expectedSize) {
      fail('DIGEST_MISMATCH', `${opts.what}: body truncated after ${bytes} of ${opts.expectedSize} bytes`, { cause: e });
    }
    fail('REGISTRY_UNREACHABLE', `${opts.what}: reading the body failed`, { cause: e, temporary: true });
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
  }
}

/** Reads a whole body, failing with `tooBig` (CORRUPT_INPUT) once it exceeds `cap` bytes. */
export async function readCapped(res: Response, cap: number, opts: BodyOptions): Promise<Buffer> {
  const declared = contentLength(res);
  if (declared !== undefined && declared > cap) {
    await res.body?.cancel().catch(() => undefined);
    fail('CORRUPT_INPUT', `${opts.what}: ${declared} bytes is more than the ${cap} allowed`);
  }
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of bodyChunks(res, { expectedSize: declared, ...opts })) {
    total += chunk.length;
    if (total > cap) fail('CORRUPT_INPUT', `${opts.what}: more than the ${cap} bytes allowed`);
    parts.push(Buffer.from(chunk));
  }
  if (declared !== undefined && total < declared) {
    fail('DIGEST_MISMATCH', `${opts.what}: body truncated after ${total} of ${declared} bytes`);
  }
  return Buffer.concat(parts);
}

/** The URL of the `rel="next"` page from a `Link` header, resolved against `base`. */
export function nextLink(res: Response, base: URL): URL | undefined {
  const link = res.headers.get('link');
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (m && /rel="?next"?/i.test(m[2] ?? '')) return new URL(m[1] ?? '', base);
  }
  return undefined;
}
