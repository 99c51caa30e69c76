import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { Validation, Spec } from '@cyclonedx/cyclonedx-library';
import { generateSbom } from '../../../src/pipeline/sbom.js';
import { isMlbuildError } from '../../../src/core/index.js';
import { makeTar, digestOf } from '../../helpers/tar-writer.js';
import { writeDockerArchive, writeOciLayout, type FixtureLayer } from '../../helpers/image-fixture.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlbuild-src-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const base: FixtureLayer = {
  tar: makeTar([
    { name: 'etc/', type: 'dir' },
    { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n' },
    { name: 'var/lib/dpkg/status', content: 'Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.36-9+deb12u4\n\n' },
    { name: 'tmp/secret', content: 'deleted later' },
  ]),
  createdBy: 'debootstrap',
};
const app: FixtureLayer = {
  tar: makeTar([{ name: 'tmp/.wh.secret', content: '' }, { name: 'app/main.py', content: 'print(1)\n' }]),
  createdBy: 'COPY app /app',
};

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  try {
    await p;
  } catch (err) {
    expect(isMlbuildError(err) ? err.code : err).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe('image sources', () => {
  it('docker-archive: packages, files with layer and step, deleted files absent; valid CycloneDX 1.6', async () => {
    const file = join(dir, 'ok.tar');
    await writeDockerArchive(file, [base, app]);
    const { json, inventory } = await generateSbom(`docker-archive:${file}`, { cacheDir: false, timestamp: new Date(0) });
    expect(inventory.catalog.packages.map((p) => p.purl)).toEqual(['pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12']);
    expect(inventory.files.map((f) => f.path)).not.toContain('tmp/secret');
    const bom = JSON.parse(json);
    const main = bom.components.find((c: { name: string }) => c.name === '/app/main.py');
    expect(main.hashes[0]).toEqual({ alg: 'SHA-256', content: digestOf(Buffer.from('print(1)\n')).slice(7) });
    expect(main.properties).toContainEqual({ name: 'mlbuild:layer:createdBy', value: 'COPY app /app' });
    const errors = await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(json);
    expect(errors).toBeNull();
  });

  it('oci-dir with gzip layers gives the same inventory as the archive', async () => {
    const oci = join(dir, 'oci');
    await writeOciLayout(oci, [base, app]);
    const a = await generateSbom(`oci-dir:${oci}`, { cacheDir: false });
    expect(a.inventory.files.map((f) => [f.path, f.sha256])).toEqual(
      (await generateSbom(`docker-archive:${join(dir, 'ok.tar')}`, { cacheDir: false })).inventory.files.map((f) => [f.path, f.sha256]),
    );
  });

  it('reads zstd-compressed layers (through the zstd binary)', async () => {
    const zst = execFileSync('zstd', ['-q', '-c'], { input: app.tar });
    const zdir = join(dir, 'oci-zstd2');
    await writeOciLayout(zdir, [base, { tar: zst }], { compress: false });
    // The layout above stores the zstd bytes as the blob; its diff_id must be the uncompressed tar's digest.
    const idx = JSON.parse(await readFile(join(zdir, 'index.json'), 'utf8'));
    const manifest = JSON.parse(await readFile(join(zdir, 'blobs', 'sha256', idx.manifests[0].digest.slice(7)), 'utf8'));
    const cfgPath = join(zdir, 'blobs', 'sha256', manifest.config.digest.slice(7));
    const cfg = JSON.parse(await readFile(cfgPath, 'utf8'));
    cfg.rootfs.diff_ids[1] = digestOf(app.tar);
    const cfgBytes = Buffer.from(JSON.stringify(cfg));
    await writeFile(join(zdir, 'blobs', 'sha256', digestOf(cfgBytes).slice(7)), cfgBytes);
    manifest.config = { ...manifest.config, digest: digestOf(cfgBytes), size: cfgBytes.length };
    const mBytes = Buffer.from(JSON.stringify(manifest));
    await writeFile(join(zdir, 'blobs', 'sha256', digestOf(mBytes).slice(7)), mBytes);
    idx.manifests[0] = { ...idx.manifests[0], digest: digestOf(mBytes), size: mBytes.length };
    await writeFile(join(zdir, 'index.json'), JSON.stringify(idx));
    const r = await generateSbom(`oci-dir:${zdir}`, { cacheDir: false });
    expect(r.inventory.files.map((f) => f.path)).toContain('app/main.py');
  });

  it('same image in, same SBOM out', async () => {
    const file = join(dir, 'ok.tar');
    const a = await generateSbom(`docker-archive:${file}`, { cacheDir: false, timestamp: new Date(0) });
    const b = await generateSbom(`docker-archive:${file}`, { cacheDir: false, timestamp: new Date(0) });
    expect(a.json).toBe(b.json);
  });

  it('reuses cached layers on rescan', async () => {
    const file = join(dir, 'ok.tar');
    const cacheDir = join(dir, 'cache');
    const first: boolean[] = [];
    await generateSbom(`docker-archive:${file}`, { cacheDir, events: (e) => e.type === 'layer-done' && first.push(e.cached) });
    const second: boolean[] = [];
    const r = await generateSbom(`docker-archive:${file}`, { cacheDir, events: (e) => e.type === 'layer-done' && second.push(e.cached) });
    expect(first).toEqual([false, false]);
    expect(second).toEqual([true, true]);
    expect(r.inventory.catalog.packages).toHaveLength(1);
  });

  it('a layer whose content does not match its diffID is an error', async () => {
    const file = join(dir, 'mismatch.tar');
    const other = makeTar([{ name: 'evil', content: 'x' }]);
    await writeDockerArchive(file, [base, app], { layerBytes: [undefined, other] });
    await expectCode(generateSbom(`docker-archive:${file}`, { cacheDir: false }), 'DIGEST_MISMATCH');
  });

  it('a truncated archive is an error', async () => {
    const file = join(dir, 'ok.tar');
    const bytes = await readFile(file);
    const cut = join(dir, 'cut.tar');
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expectCode(generateSbom(`docker-archive:${cut}`, { cacheDir: false }), 'CORRUPT_INPUT');
  });

  it('a corrupt gzip layer is an error', async () => {
    const oci = join(dir, 'oci-corrupt');
    const gz = gzipSync(app.tar);
    gz[gz.length - 12] ^= 0xff;
    await writeOciLayout(oci, [base, app], { blobOverride: [undefined, gz] });
    await expectCode(generateSbom(`oci-dir:${oci}`, { cacheDir: false }), 'CORRUPT_INPUT');
  });

  it('unknown compression is an error', async () => {
    const oci = join(dir, 'oci-xz');
    await writeOciLayout(oci, [base, { tar: Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), Buffer.alloc(100)]) }], { compress: false });
    await expectCode(generateSbom(`oci-dir:${oci}`, { cacheDir: false }), 'UNSUPPORTED');
  });

  it('a missing target is an error', async () => {
    await expectCode(generateSbom(`docker-archive:${join(dir, 'nope.tar')}`, { cacheDir: false }), 'NOT_FOUND');
    await expectCode(generateSbom(`oci-dir:${join(dir, 'nope')}`, { cacheDir: false }), 'NOT_FOUND');
  });

  it('hostile entries become unknowns in the SBOM', async () => {
    const file = join(dir, 'hostile.tar');
    const hostile: FixtureLayer = { tar: makeTar([{ name: '../../etc/passwd', content: 'x' }, { name: 'dev/sda', type: 'block' }, { name: 'x', type: 'symlink', linkname: '../../../../root' }]) };
    await writeDockerArchive(file, [base, hostile]);
    const { json } = await generateSbom(`docker-archive:${file}`, { cacheDir: false });
    const unknowns = JSON.parse(json).metadata.properties.filter((p: { name: string }) => p.name === 'mlbuild:unknown').map((p: { value: string }) => p.value);
    expect(unknowns.some((u: string) => u.includes('../../etc/passwd'))).toBe(true);
    expect(unknowns.some((u: string) => u.includes('/dev/sda'))).toBe(true);
  });

  it('--platform of another platform than a single-platform image is BAD_TARGET, never the wrong SBOM', async () => {
    const file = join(dir, 'platform.tar');
    await writeDockerArchive(file, [base]);
    const target = `docker-archive:${file}`;
    const err = await generateSbom(target, { cacheDir: false, platform: { os: 'linux', architecture: 'arm64' } }).catch((e: unknown) => e);
    expect(isMlbuildError(err) ? err.code : err).toBe('BAD_TARGET');
    expect((err as Error).message).toContain('linux/amd64');
    expect((err as Error).message).toContain('linux/arm64');
    const ok = await generateSbom(target, { cacheDir: false, platform: { os: 'linux', architecture: 'amd64' } });
    expect(ok.inventory.image.architecture).toBe('amd64');
  });
});
