// The synchronous streaming inflater rests on node:zlib internals: these tests pin that they still behave.
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SyncInflater, syncInflateAvailable } from '../../../../src/catalog/formats/archive-inflate.js';
import { rng } from './fixtures.js';

function inflateAll(data: Buffer, chunk: number): { out: Buffer; used: number; inf: SyncInflater } {
  const inf = new SyncInflater();
  const parts: Buffer[] = [];
  let used = 0;
  for (let off = 0; off < data.length && !inf.ended; off += chunk) {
    const piece = data.subarray(off, off + chunk);
    used += inf.write(piece, (b) => (parts.push(Buffer.from(b)), true));
    if (inf.error) break;
  }
  inf.finish();
  inf.close();
  return { out: Buffer.concat(parts), used, inf };
}

describe('SyncInflater', () => {
  const r = rng(3);
  const plain = Buffer.from(Array.from({ length: 600_000 }, () => Math.floor(r() * 16)));
  const raw = deflateRawSync(plain);

  it('is available on this Node', () => expect(syncInflateAvailable).toBe(true));

  it('inflates in any chunking and finds the stream end before trailing bytes', () => {
    for (const chunk of [1, 7, 4096, raw.length]) {
      const { out, used, inf } = inflateAll(Buffer.concat([raw, Buffer.from('TRAILER')]), chunk);
      expect(out.equals(plain)).toBe(true);
      expect(used).toBe(raw.length);
      expect(inf.ended).toBe(true);
    }
  });

  it('knows a stream that ends exactly with its input, and one cut short', () => {
    expect(inflateAll(raw, raw.length).inf.ended).toBe(true);
    const cut = inflateAll(raw.subarray(0, raw.length - 10), 1000);
    expect(cut.inf.ended).toBe(false);
  });

  it('reports invalid data as an error, without throwing', () => {
    const { inf } = inflateAll(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00]), 5);
    expect(inf.error).toBeTruthy();
  });

  it('stops when asked to', () => {
    const inf = new SyncInflater();
    let pieces = 0;
    const used = inf.write(raw, () => ++pieces < 2);
    expect(inf.stopped).toBe(true);
    expect(used).toBeLessThan(raw.length);
    expect(inf.write(raw, () => true)).toBe(0);
    inf.close();
  });
});
