import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Validation, Spec } from '@cyclonedx/cyclonedx-library';
import { claimContextFiles, claimModelFiles, ownershipSummary, type FileOwners } from '../../../../src/catalog/index.js';
import type { MlEvent } from '../../../../src/core/index.js';
import { inventoryOf, generateSbom } from '../../../../src/pipeline/sbom.js';
import { sbomFileFindings } from '../../../../src/pipeline/image-files.js';
import { openImage } from '../../../../src/image/open.js';
import type { MergedTree } from '../../../../src/image/merge.js';
import type { Inventory } from '../../../../src/sbom/inventory.js';
import { defaultFilesPolicy, fileFindings } from '../../../../src/policy/index.js';
import { wantsMd5 } from '../../../../src/image/md5-paths.js';
import { makeTar, digestOf, type TarEntry } from '../../../helpers/tar-writer.js';
import { writeDockerArchive } from '../../../helpers/image-fixture.js';
import { makeTempDir, type TempDir } from '../../../helpers/tmp.js';
import { pickleFile } from '../formats/fixtures.js';
import { debianBase, npmApkLayer, pipLayer, md5, TOOL, CONF, INIT_PY } from './fixtures.js';

let tmp: TempDir;
let n = 0;

// Real path: layer tars → docker-archive → layer scan (sha256 + md5) → merged view → catalogers → owners.
async function scan(layers: TarEntry[][]): Promise<{ inventory: Inventory; tree: MergedTree; owners: FileOwners }> {
  const file = join(tmp.path, `img${n++}.tar`);
  await writeDockerArchive(file, layers.map((entries, i) => ({ tar: makeTar(entries), createdBy: `step ${i}` })));
  const image = await openImage(`docker-archive:${file}`, {});
  try {
    const { inventory, tree } = await inventoryOf(image, { cacheDir: false });
    return { inventory, tree, owners: inventory.owners as FileOwners };
  } finally {
    await image.close();
  }
}

beforeAll(async () => {
  tmp = await makeTempDir('owners');
});
afterAll(async () => {
  await tmp?.cleanup();
});

describe('file owners', () => {
  it('dpkg: md5sums verified through merged-usr symlinks and diversions; conffiles and state files owned', async () => {
    const { owners, tree } = await scan([debianBase()]);
    expect(owners.get('usr/bin/tool')).toEqual({ kind: 'package', id: 'deb:demo', state: 'verified' });
    expect(owners.get('usr/bin/sh')).toEqual({ kind: 'package', id: 'deb:dash', state: 'verified' });
    expect(owners.get('usr/bin/sh.distrib')).toEqual({ kind: 'package', id: 'deb:bash', state: 'verified' });
    expect(owners.get('etc/demo.conf')).toEqual({ kind: 'package', id: 'deb:demo', state: 'verified' });
    expect(owners.get('var/lib/dpkg/status')).toEqual({ kind: 'package', id: 'deb:dpkg', state: 'unverified' });
    expect(owners.get('var/lib/dpkg/info/demo:amd64.postinst')).toEqual({ kind: 'package', id: 'deb:demo', state: 'unverified' });
    expect(owners.get('etc/hostname')).toEqual({ kind: 'unaccounted' });
    expect(tree.get('usr/bin/tool')?.md5).toBe(md5(TOOL));
    expect(fileFindings(defaultFilesPolicy(), owners, tree)).toEqual([]);
  });

  it('dpkg: an overwritten binary is a modified package file (deny by default, warn on request); a changed conffile is not', async () => {
    const evil = 'ELF evil\n';
    const { owners, tree } = await scan([debianBase(), [{ name: 'usr/bin/tool', content: evil, mode: 0o755 }, { name: 'etc/demo.conf', content: 'setting=2\n' }]]);
    expect(owners.get('usr/bin/tool')).toEqual({ kind: 'package', id: 'deb:demo', state: 'modified', alg: 'md5', want: md5(TOOL), got: md5(evil) });
    expect(owners.get('etc/demo.conf')).toMatchObject({ kind: 'package', id: 'deb:demo', state: 'conffile-modified', want: md5(CONF) });
    const findings = fileFindings(defaultFilesPolicy(), owners, tree);
    expect(findings).toEqual([
      expect.objectContaining({ kind: 'package-file-modified', path: '/usr/bin/tool', layer: 1, want: md5(TOOL), got: md5(evil), atlas: 'AML.T0010', fatal: true }),
    ]);
    expect(fileFindings({ ...defaultFilesPolicy(), packageModified: 'warn' }, owners, tree).map((f) => f.fatal)).toEqual([false]);
  });

  it('python: RECORD rows checked by sha256 (paths relative to site-packages, quoted, ../ scripts); .pyc and RECORD unchecked', async () => {
    const site = 'opt/venv/lib/python3.11/site-packages';
    const ok = await scan([pipLayer()]);
    expect(ok.owners.get(`${site}/demo_pkg/__init__.py`)).toEqual({ kind: 'package', id: 'pypi:demo-pkg', state: 'verified' });
    expect(ok.owners.get(`${site}/demo_pkg/__pycache__/__init__.cpython-311.pyc`)).toEqual({ kind: 'package', id: 'pypi:demo-pkg', state: 'unverified' });
    expect(ok.owners.get(`${site}/demo_pkg-1.0.dist-info/RECORD`)).toMatchObject({ state: 'unverified' });
    expect(ok.owners.get('opt/venv/bin/demo,cli')).toMatchObject({ id: 'pypi:demo-pkg', state: 'verified' });
    expect(ok.tree.get(`${site}/demo_pkg/__init__.py`)?.md5).toBeUndefined(); // site-packages: no dpkg md5 needed
    const bad = await scan([pipLayer(), [{ name: `${site}/demo_pkg/__init__.py`, content: `${INIT_PY}import os\n` }]]);
    const o = bad.owners.get(`${site}/demo_pkg/__init__.py`);
    expect(o).toMatchObject({ kind: 'package', id: 'pypi:demo-pkg', state: 'modified', alg: 'sha256', want: digestOf(Buffer.from(INIT_PY)).slice(7) });
    expect(fileFindings(defaultFilesPolicy(), bad.owners, bad.tree).map((f) => [f.kind, f.path, f.layer])).toEqual([['package-file-modified', `/${site}/demo_pkg/__init__.py`, 1]]);
  });

  it('npm folders (deepest package wins) and apk R: files are owned, unchecked', async () => {
    const { owners } = await scan([npmApkLayer()]);
    expect(owners.get('app/node_modules/left-pad/index.js')).toEqual({ kind: 'package', id: 'npm:left-pad', state: 'unverified' });
    expect(owners.get('app/node_modules/left-pad/node_modules/@s/inner/lib/x.js')).toMatchObject({ id: 'npm:@s/inner' });
    expect(owners.get('lib/ld-musl-x86_64.so.1')).toEqual({ kind: 'package', id: 'apk:musl', state: 'unverified' });
  });

  it('model and context hooks take only unaccounted files; the summary and policy limits judge the rest', async () => {
    const weights = Buffer.alloc(5000, 1);
    const { owners, tree } = await scan([
      debianBase(),
      [
        { name: 'models/m/model.bin', content: weights },
        { name: 'app/main.py', content: 'print(1)\n' },
        { name: 'app/run', content: 'x'.repeat(300), mode: 0o755 },
        { name: 'app/blob.dat', content: Buffer.alloc(2000, 2) },
        { name: 'app/cache.dat', content: pickleFile() },
      ],
    ]);
    expect(claimModelFiles(owners, tree, ['/models/m/model.bin', 'usr/bin/tool'], 'acme/m')).toEqual(['models/m/model.bin']);
    expect(claimContextFiles(owners, tree, new Set([digestOf(Buffer.from('print(1)\n'))]))).toEqual(['app/main.py']);
    expect(owners.get('models/m/model.bin')).toEqual({ kind: 'model', name: 'acme/m' });
    expect(owners.get('app/main.py')).toEqual({ kind: 'context' });
    expect(owners.get('usr/bin/tool')).toMatchObject({ kind: 'package' });
    const s = ownershipSummary(owners, tree);
    expect(s.unaccounted).toEqual([
      { kind: 'other', files: 2, bytes: 2004 },
      { kind: 'executable', files: 1, bytes: 300 },
      { kind: 'pickle', files: 1, bytes: pickleFile().length },
    ]);
    // The bottom layer's files came with their package database: owned, not re-checked (later layers are).
    expect({ ...s.owned, 'package:verified': undefined }).toMatchObject({ model: 1, context: 1 });
    expect(s.owned['package:verified'] ?? 0).toBe(0);
    const policy = defaultFilesPolicy();
    expect(fileFindings(policy, owners, tree)).toEqual([]);
    policy.unaccounted = { maxBytes: 1000, denyKinds: ['executable', 'pickle'], fatal: true };
    // Kinds come from content, not names: a pickle named .dat is a pickle.
    expect(fileFindings(policy, owners, tree).map((f) => [f.kind, f.path, f.got, f.atlas, f.fatal])).toEqual([
      ['unaccounted-file', '/app/blob.dat', 'other', 'AML.T0010', true],
      ['unaccounted-file', '/app/cache.dat', 'pickle', 'AML.T0010', true],
      ['unaccounted-file', '/app/run', 'executable', 'AML.T0010', true],
    ]);
  });

  it('computes md5 only where dpkg could own a path', () => {
    expect(['usr/bin/ls', 'bin/ls', 'lib/x86_64-linux-gnu/libc.so.6', 'etc/passwd', 'var/lib/x', 'opt/vendor/bin/x'].map(wantsMd5)).toEqual([true, true, true, true, true, true]);
    expect(['usr/local/bin/x', 'models/m.safetensors', 'app/main.py', 'home/u/x', 'opt/venv/lib/python3.11/site-packages/x.py', 'var/tmp/x'].map(wantsMd5)).toEqual([false, false, false, false, false, false]);
  });

  it('the SBOM records each file owner and unaccounted totals (schema-valid, deterministic) and reports kinds as events', async () => {
    const file = join(tmp.path, 'sbom.tar');
    await writeDockerArchive(file, [{ tar: makeTar(debianBase()) }, { tar: makeTar([{ name: 'usr/bin/tool', content: 'evil', mode: 0o755 }, { name: 'srv/x.bin', content: 'zz' }]) }]);
    const events: MlEvent[] = [];
    const a = await generateSbom(`docker-archive:${file}`, { cacheDir: false, timestamp: new Date(0), events: (e) => events.push(e) });
    const b = await generateSbom(`docker-archive:${file}`, { cacheDir: false, timestamp: new Date(0) });
    expect(a.json).toBe(b.json);
    expect(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(a.json)).toBeNull();
    const bom = JSON.parse(a.json) as { components: Array<{ name: string; properties?: Array<{ name: string; value: string }> }>; metadata: { properties: Array<{ name: string; value: string }> } };
    const props = (name: string) => Object.fromEntries((bom.components.find((c) => c.name === name)?.properties ?? []).map((p) => [p.name, p.value]));
    expect(props('/usr/bin/tool')).toMatchObject({ 'mlbuild:file:owner': 'deb:demo', 'mlbuild:file:ownerState': 'modified', 'mlbuild:file:ownerWant': `md5:${md5(TOOL)}` });
    expect(props('/usr/bin/sh')).toMatchObject({ 'mlbuild:file:owner': 'deb:dash', 'mlbuild:file:ownerState': 'unverified' }); // bottom layer
    expect(props('/etc/hostname')).toMatchObject({ 'mlbuild:file:owner': 'unaccounted' });
    expect(bom.metadata.properties).toContainEqual({ name: 'mlbuild:files:unaccounted:other', value: '2 files, 6 bytes' });
    expect(bom.metadata.properties).toContainEqual({ name: 'mlbuild:files:owned:package:modified', value: '1' });
    expect(events.filter((e) => e.type === 'unaccounted')).toEqual([{ type: 'unaccounted', kind: 'other', files: 2, bytes: 6 }]);
    // verify image judges the signed SBOM: the same findings as the scan itself.
    const policy = { ...defaultFilesPolicy(), unaccounted: { maxBytes: 3, denyKinds: [], fatal: false } };
    const fromScan = await scan([debianBase(), [{ name: 'usr/bin/tool', content: 'evil', mode: 0o755 }, { name: 'srv/x.bin', content: 'zz' }]]);
    const want = fileFindings(policy, fromScan.owners, fromScan.tree);
    expect(want.map((f) => [f.kind, f.path, f.fatal])).toEqual([['unaccounted-file', '/etc/hostname', false], ['package-file-modified', '/usr/bin/tool', true]]);
    expect(sbomFileFindings(policy, JSON.parse(a.json) as Record<string, unknown>)).toEqual(want);
  });
});
