// Layers read out of an engine's export stream: docker's ID/layer.tar and Podman's DIFFID.tar (with layer.tar
// symlinks) are both found by diffID, and a layer the stream lacks fails the scan instead of being dropped.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isMlbuildError, type Digest } from '../../../src/core/index.js';
import { scanImage } from '../../../src/image/scan-image.js';
import type { Image } from '../../../src/image/types.js';
import { digestOf, makeTar } from '../../helpers/tar-writer.js';

const base = makeTar([{ name: 'etc/', type: 'dir' }, { name: 'etc/hostname', content: 'base\n' }]);
const app = makeTar([{ name: 'app/', type: 'dir' }, { name: 'app/main.py', content: 'print(1)\n' }]);
const hex = (b: Buffer) => digestOf(b).slice(7);

/** An engine image of the two layers above whose export stream is `saved`. */
function engineImage(saved: Buffer): Image {
  const diffIDs = [digestOf(base), digestOf(app)] as Digest[];
  return {
    target: 'docker:test',
    scheme: 'docker',
    tags: [],
    imageId: `sha256:${'0'.repeat(64)}` as Digest,
    repoDigests: [],
    config: { rootfs: { type: 'layers', diff_ids: diffIDs } },
    layers: diffIDs.map((diffID, index) => ({ index, diffID, bytes: { kind: 'export' } })),
    exportStream: async () => Readable.from([saved]),
    notes: [],
    close: async () => {},
  };
}

function paths(scan: unknown): string[] {
  return JSON.stringify(scan).match(/app\/main\.py|etc\/hostname/g) ?? [];
}

describe('scanImage over an export stream', () => {
  it("reads docker's ID/layer.tar members", async () => {
    const saved = makeTar([{ name: 'a1/layer.tar', content: base }, { name: 'b2/layer.tar', content: app }]);
    const scans = await scanImage(engineImage(saved));
    expect(scans).toHaveLength(2);
    expect(paths(scans[1])).toContain('app/main.py');
  });

  it("reads Podman's DIFFID.tar members (its ID/layer.tar entries are symlinks)", async () => {
    const saved = makeTar([
      { name: `${hex(base)}.tar`, content: base },
      { name: `${hex(app)}.tar`, content: app },
      { name: 'a1/layer.tar', type: 'symlink', linkname: `../${hex(base)}.tar` },
      { name: 'b2/layer.tar', type: 'symlink', linkname: `../${hex(app)}.tar` },
    ]);
    const scans = await scanImage(engineImage(saved));
    expect(scans).toHaveLength(2);
    expect(paths(scans[0])).toContain('etc/hostname');
    expect(paths(scans[1])).toContain('app/main.py');
  });

  it('fails with CORRUPT_INPUT when a layer is not in the stream', async () => {
    const saved = makeTar([{ name: 'a1/layer.tar', content: base }]);
    const err = await scanImage(engineImage(saved)).catch((e: unknown) => e);
    expect(isMlbuildError(err, 'CORRUPT_INPUT')).toBe(true);
  });
});
