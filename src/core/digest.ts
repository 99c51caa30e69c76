// Digests: parsing, formatting and the streaming hash that checks bytes as they flow.
import { createHash, type Hash } from 'node:crypto';
import { fail } from './errors.js';

/** An OCI digest string `sha256:<64 hex>`. */
export type Digest = `sha256:${string}`;

const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;

/** True when `s` is a well-formed sha256 digest. */
export function isDigest(s: unknown): s is Digest {
  return typeof s === 'string' && DIGEST_RE.test(s);
}

/** Parses and checks a digest, throwing a coded error naming `what`. */
export function parseDigest(s: unknown, what = 'digest'): Digest {
  if (!isDigest(s)) fail('CORRUPT_INPUT', `${what} is not a sha256 digest: ${String(s).slice(0, 80)}`);
  return s;
}

/** The hex part of a digest. */
export function digestHex(d: Digest): string {
  return d.slice(7);
}

/** sha256 of a buffer or string as an OCI digest. */
export function sha256Digest(data: Uint8Array | string): Digest {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** sha256 hex of a buffer or string. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A running sha256 that also counts bytes; `check` compares against an expected digest and size. */
export class DigestCounter {
  private readonly hash: Hash = createHash('sha256');
  bytes = 0;

  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
  }

  digest(): Digest {
    return `sha256:${this.hash.digest('hex')}`;
  }
}

/** Wraps an async byte stream so its sha256 (and size, when given) is checked at the end; throws want/got. */
export async function* verifyingStream(
  source: AsyncIterable<Uint8Array>,
  want: Digest,
  what: string,
  wantSize?: number,
): AsyncGenerator<Buffer> {
  const counter = new DigestCounter();
  for await (const chunk of source) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    counter.update(buf);
    if (wantSize !== undefined && counter.bytes > wantSize) {
      fail('DIGEST_MISMATCH', `${what}: more bytes than the ${wantSize} declared`);
    }
    yield buf;
  }
  if (wantSize !== undefined && counter.bytes !== wantSize) {
    fail('DIGEST_MISMATCH', `${what}: size ${counter.bytes}, want ${wantSize} (truncated)`);
  }
  const got = counter.digest();
  if (got !== want) fail('DIGEST_MISMATCH', `${what}: digest ${got}, want ${want}`);
}
