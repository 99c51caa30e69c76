// Progress while a big layer streams: `bytes` events move inside the layer, not only when it is done.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MlEvent } from '../../../src/core/index.js';
import { generateSbom } from '../../../src/pipeline/sbom.js';
import { writeDockerArchive, writeOciLayout } from '../../helpers/image-fixture.js';
import { makeTar } from '../../helpers/tar-writer.js';
import { useTempDir } from '../../helpers/tmp.js';

const tmp = useTempDir('progress');
const big = makeTar([{ name: 'data/blob.bin', content: randomBytes(13 << 20) }]);
const small = makeTar([{ name: 'etc/hostname', content: 'x\n' }]);

/** The `bytes` events seen between the start and the end of the big layer (index 1). */
function bytesInsideBigLayer(events: MlEvent[]): number[] {
  const start = events.findIndex((e) => e.type === 'layer-start' && e.index === 1);
  const end = events.findIndex((e) => e.type === 'layer-done' && e.index === 1);
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return events.slice(start, end).flatMap((e) => (e.type === 'bytes' ? [e.bytes] : []));
}

describe('layer progress', () => {
  it('docker-archive: the byte counter moves while one 13 MiB layer is read, and adds up to the layer', async () => {
    const file = join(tmp.path, 'big.tar');
    await writeDockerArchive(file, [{ tar: small }, { tar: big }]);
    const events: MlEvent[] = [];
    await generateSbom(`docker-archive:${file}`, { cacheDir: false, events: (e) => events.push(e) });
    const inside = bytesInsideBigLayer(events);
    expect(inside.length).toBeGreaterThanOrEqual(3);
    expect(inside.reduce((a, b) => a + b, 0)).toBe(big.length);
  });

  it('oci-dir with a gzip layer: progress counts the tar bytes as they are decompressed', async () => {
    const dir = join(tmp.path, 'oci');
    await writeOciLayout(dir, [{ tar: small }, { tar: big }]);
    const events: MlEvent[] = [];
    await generateSbom(`oci-dir:${dir}`, { cacheDir: false, events: (e) => events.push(e) });
    const inside = bytesInsideBigLayer(events);
    expect(inside.length).toBeGreaterThanOrEqual(3);
    expect(inside.reduce((a, b) => a + b, 0)).toBe(big.length);
  });
});
