// The content gate over generated images: weights and pickles hidden under other names, in odd places, behind links,
// found by their bytes; and ordinary files that must not raise an alarm.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSbom } from '../../../src/pipeline/sbom.js';
import { openImage } from '../../../src/image/open.js';
import { inventoryOf } from '../../../src/pipeline/sbom.js';
import { contentFilesOfSbom, contentFilesOfView, gateSets, judgeContent, type ContentFile } from '../../../src/pipeline/content-gate.js';
import type { ImageFinding } from '../../../src/pipeline/image-findings.js';
import { gguf, safetensors } from '../../helpers/fixtures.js';
import { BENIGN_PICKLE, BENIGN_PICKLE_P0, EVIL_PICKLE_P0, EVIL_PICKLE_P2, numericNpy, objectNpy } from '../../helpers/disguise.js';
import { writeDockerArchive, type FixtureLayer } from '../../helpers/image-fixture.js';
import { makeTar, type TarEntry } from '../../helpers/tar-writer.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlbuild-gate-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const f = (name: string, content: Buffer | string): TarEntry => ({ name, content: Buffer.isBuffer(content) ? content : Buffer.from(content) });
let n = 0;

/** Scans an image made of these layers; returns the gate's findings (nothing attested) and the SBOM's. */
async function judge(layers: TarEntry[][], opts: { forbid?: string[] } = {}): Promise<Judged> {
  const file = join(dir, `img${n++}.tar`);
  const fl: FixtureLayer[] = layers.map((entries, i) => ({ tar: makeTar(entries), createdBy: `RUN step ${i}` }));
  await writeDockerArchive(file, fl);
  const image = await openImage(`docker-archive:${file}`);
  try {
    const { tree, inventory } = await inventoryOf(image, { cacheDir: false });
    const models = inventory.catalog.models;
    const base = { requireAttestation: true, forbidFormats: opts.forbid ?? [], stepOf: (i: number) => `RUN step ${i}` };
    const sets = gateSets(models.map((m) => ({ path: m.path, files: m.files.map((x) => ({ path: x.path === m.path ? x.path : x.path.slice(m.path.length + 1) })) })));
    const files = contentFilesOfView(tree);
    const view = judgeContent({ files, ...sets, ...base });
    const { json } = await generateSbom(`docker-archive:${file}`, { cacheDir: false });
    // Every SBOM of the corpus (identified formats, archive members as nested components) is valid CycloneDX 1.6.
    expect(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(json)).toBeNull();
    const sbom = judgeContent({ files: contentFilesOfSbom(JSON.parse(json)), ...sets, ...base });
    return { view, sbom, files, models: models.map((m) => m.path), modelFiles: new Set(models.flatMap((m) => m.files.map((x) => x.path))) };
  } finally {
    await image.close();
  }
}

interface Judged { view: ImageFinding[]; sbom: ImageFinding[]; files: ContentFile[]; models: string[]; modelFiles: Set<string> }

/** Weights are caught either as a model component of their own (judged by the policy) or as unattested weights. */
const weightsCaught = (r: Judged, path: string): boolean => r.modelFiles.has(path) || r.view.some((x) => x.path === path && x.fatal && x.kind === 'unattested-weights');
const kinds = (list: ImageFinding[], path: string): string[] => list.filter((x) => x.path === path && x.fatal).map((x) => x.kind).sort();

describe('content gate: disguised names', () => {
  it('weights named .txt, without extension, as README.md, and a pickle named .npy/.bin/.txt/none are found by content', async () => {
    const r = await judge([[
      f('opt/app/weights.txt', safetensors()),
      f('opt/app/blob', gguf()),
      f('opt/app/README.md', safetensors()),
      f('opt/app/arr.npy', EVIL_PICKLE_P2),
      f('opt/app/weights.bin', EVIL_PICKLE_P2),
      f('opt/app/notes.txt', EVIL_PICKLE_P0),
      f('opt/app/noext', EVIL_PICKLE_P0),
    ]]);
    for (const res of [r.view, r.sbom]) {
      expect(kinds(res, 'opt/app/weights.txt')).toContain('masquerade');
      expect(kinds(res, 'opt/app/README.md')).toContain('masquerade');
      expect(kinds(res, 'opt/app/arr.npy')).toEqual(['dangerous-pickle', 'masquerade']);
      expect(kinds(res, 'opt/app/weights.bin')).toEqual(['dangerous-pickle']);
      expect(kinds(res, 'opt/app/notes.txt')).toEqual(['dangerous-pickle', 'masquerade']);
      expect(kinds(res, 'opt/app/noext')).toEqual(['dangerous-pickle']);
    }
    for (const p of ['opt/app/weights.txt', 'opt/app/blob', 'opt/app/README.md']) expect(weightsCaught(r, p), p).toBe(true);
    const d = r.view.find((x) => x.kind === 'dangerous-pickle' && x.path === 'opt/app/noext')!;
    expect(d).toMatchObject({ atlas: 'AML.T0018.002', layer: 0, step: 'RUN step 0' });
    expect(r.view.find((x) => x.kind === 'masquerade')?.atlas).toBe('AML.T0074');
  });

  it('forbidFormats reads the content: a pickle named .txt is a forbidden pickle', async () => {
    const r = await judge([[f('srv/data.txt', BENIGN_PICKLE)]], { forbid: ['pickle'] });
    expect(kinds(r.view, 'srv/data.txt')).toEqual(['format-forbidden', 'masquerade']);
    expect(r.view.find((x) => x.kind === 'format-forbidden')?.atlas).toBe('AML.T0011.000');
  });
});

describe('content gate: odd places', () => {
  it('weights in package folders, .git, .github, a lone HF cache blob and a dataset folder are models', async () => {
    const r = await judge([[
      f('usr/lib/python3/dist-packages/pkg/data/w.bin', safetensors()),
      f('usr/local/lib/python3.11/site-packages/pkg/model.onnx', safetensors()),
      f('app/node_modules/x/weights.gguf', gguf()),
      f('srv/repo/.git/objects/ab/cdef', safetensors()),
      f('srv/repo/.github/w', gguf()),
      f('root/.cache/huggingface/hub/models--a--b/blobs/0123abcd', safetensors()),
      f('data/ds/README.md', '---\ntype: dataset\nlicense: mit\n---\n'),
      f('data/ds/part.safetensors', safetensors()),
    ]]);
    for (const p of ['usr/lib/python3/dist-packages/pkg/data/w.bin', 'usr/local/lib/python3.11/site-packages/pkg/model.onnx', 'app/node_modules/x/weights.gguf', 'srv/repo/.git/objects/ab/cdef', 'srv/repo/.github/w', 'root/.cache/huggingface/hub/models--a--b/blobs/0123abcd', 'data/ds/part.safetensors']) {
      expect(weightsCaught(r, p), p).toBe(true);
    }
  });
});

describe('content gate: links', () => {
  it('a directory symlink inside a model folder pointing into another place: the folder lists the link, the files are judged where they lie', async () => {
    const r = await judge([[
      f('models/m/config.json', '{"model_type": "bert", "architectures": ["BertModel"]}'),
      f('models/m/model.safetensors', safetensors()),
      { name: 'models/m/extra', type: 'symlink', linkname: '/root/.cache/stash' },
      f('root/.cache/stash/w.dat', gguf()),
    ]]);
    expect(r.modelFiles.has('models/m/extra')).toBe(true);
    expect(weightsCaught(r, 'root/.cache/stash/w.dat')).toBe(true);
  });

  it('a hard link whose first name a later layer deletes is hashed and judged', async () => {
    const r = await judge([
      [f('opt/a/first.txt', safetensors()), { name: 'opt/b/second', type: 'hardlink', linkname: 'opt/a/first.txt' }],
      [f('opt/a/.wh.first.txt', '')],
    ]);
    const second = r.files.find((x) => x.path === 'opt/b/second');
    expect(second?.sha256).toMatch(/^[a-f0-9]{64}$/);
    expect(weightsCaught(r, 'opt/b/second')).toBe(true);
    expect(r.files.some((x) => x.path === 'opt/a/first.txt')).toBe(false);
  });
});

describe('content gate: TensorFlow SavedModel', () => {
  it('saved_model.pb is a model by its bytes; the same bytes named .txt masquerade', async () => {
    const tags = Buffer.from([0x22, 0x05, ...Buffer.from('serve')]);
    const metaInfo = Buffer.concat([Buffer.from([0x0a, tags.length]), tags]);
    const graph = Buffer.concat([Buffer.from([0x08, 0x01, 0x12, metaInfo.length]), metaInfo]);
    const r = await judge([[f('srv/m/1/saved_model.pb', graph), f('srv/x/graph.txt', graph)]]);
    expect(r.files.find((x) => x.path === 'srv/m/1/saved_model.pb')?.info).toMatchObject({ format: 'savedmodel', cls: 'weights' });
    expect(weightsCaught(r, 'srv/m/1/saved_model.pb')).toBe(true);
    expect(kinds(r.view, 'srv/x/graph.txt')).toContain('masquerade');
  });
});

describe('content gate: NumPy and pickles', () => {
  it('object arrays are pickles, numeric arrays count as weights above 1 MiB', async () => {
    const r = await judge([[
      f('d/obj.npy', objectNpy()),
      f('d/small.npy', numericNpy(16)),
      f('d/big.npy', numericNpy(300_000)),
    ]]);
    expect(kinds(r.view, 'd/obj.npy')).toEqual(['dangerous-pickle']);
    expect(kinds(r.view, 'd/small.npy')).toEqual([]);
    expect(weightsCaught(r, 'd/big.npy')).toBe(true);
  });

  it('a model file that fails to parse as its own format is a finding', async () => {
    const bad = Buffer.concat([Buffer.from([0x40, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{"a": not json at all ... '), Buffer.alloc(64)]);
    const r = await judge([[f('m/model.safetensors', bad)]]);
    expect(r.view.find((x) => x.kind === 'malformed-model')).toMatchObject({ path: 'm/model.safetensors', atlas: 'AML.T0076' });
  });
});

describe('content gate: ordinary files pass', () => {
  it('text, code, ELF, json, gzip, benign pickles and small arrays raise no fatal finding', async () => {
    const elf = Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01', 'latin1'), Buffer.alloc(600)]);
    const r = await judge([[
      f('etc/os-release', 'ID=debian\nVERSION_ID="12"\n'),
      f('usr/share/doc/x/copyright', 'Copyright (c) 2020 someone\nLicense: MIT\n'),
      f('usr/bin/tool', elf),
      f('app/main.py', 'import os\nprint("hi")\n'),
      f('app/config.json', '{"port": 8080}'),
      f('app/Makefile', '(cd x && make)\n'),
      f('app/list.txt', '(a b c)\n'),
      f('app/c.txt', 'cat\ndog\n'),
      f('usr/lib/python3/dist-packages/numpy/tests/data/benign.pkl', BENIGN_PICKLE),
      f('usr/lib/python3/dist-packages/numpy/tests/data/p0.pkl', BENIGN_PICKLE_P0),
      f('usr/lib/python3/dist-packages/numpy/tests/data/small.npy', numericNpy(8)),
      f('I', 'I am a text file\n'),
    ]]);
    expect(r.view.filter((x) => x.fatal)).toEqual([]);
    expect(r.sbom.filter((x) => x.fatal)).toEqual([]);
    expect(r.models).toEqual([]);
  });
});

describe('content gate: coverage by trusted attestations', () => {
  const weights = (path: string, sha256: string): ContentFile => ({ path, size: 100, sha256, layer: 1, info: { format: 'safetensors', cls: 'weights', policyFormats: ['safetensors'], dangerous: [], malformed: [] } });
  const A = 'a'.repeat(64);
  const B = 'b'.repeat(64);

  it('a git-lfs clone holds each weight twice: the .git/lfs copy is accounted for by its digest; a stray LFS object is not', () => {
    const files = [weights('models/m/model.safetensors', A), weights(`models/m/.git/lfs/objects/aa/aa/${A}`, A), weights(`models/m/.git/lfs/objects/bb/bb/${B}`, B)];
    const sets = gateSets([{ path: 'models/m', files: [{ path: 'model.safetensors' }], attestedDigests: [A] }]);
    const out = judgeContent({ files, ...sets, requireAttestation: true, forbidFormats: [] });
    expect(out.map((f) => [f.kind, f.path])).toEqual([['unattested-weights', `models/m/.git/lfs/objects/bb/bb/${B}`]]);
  });

  it('files a partial attestation leaves out are judged like any other file', () => {
    const files = [weights('models/m/model.safetensors', A)];
    const sets = gateSets([{ path: 'models/m', files: [{ path: 'config.json' }, { path: 'model.safetensors' }], attestedDigests: ['c'.repeat(64)] }]);
    expect(judgeContent({ files, ...sets, requireAttestation: true, forbidFormats: [] }).map((f) => f.kind)).toEqual(['unattested-weights']);
  });

  it('without a policy that requires attestation, unattested weights are reported, not fatal', () => {
    const out = judgeContent({ files: [weights('opt/w', A)], ...gateSets([]), requireAttestation: false, forbidFormats: [] });
    expect(out).toEqual([expect.objectContaining({ kind: 'unattested-weights', fatal: false })]);
  });
});

describe('content gate: archives', () => {
  it('weights and pickles inside a tar.gz, a zip and a zip inside a tar are found, in the view and in the SBOM', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdir, readFile, writeFile } = await import('node:fs/promises');
    const src = join(dir, 'arch-src');
    await mkdir(join(src, 'pkg'), { recursive: true });
    await writeFile(join(src, 'pkg', 'weights.txt'), safetensors());
    await writeFile(join(src, 'pkg', 'evil.pkl'), EVIL_PICKLE_P2);
    execFileSync('tar', ['czf', join(dir, 'a.tar.gz'), '-C', src, 'pkg']);
    execFileSync('python3', ['-c', `import zipfile,sys\nz=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED)\nz.write(sys.argv[2],'m/w.bin')\nz.close()`, join(dir, 'a.whl'), join(src, 'pkg', 'weights.txt')]);
    execFileSync('tar', ['cf', join(dir, 'outer.tar'), '-C', dir, 'a.whl']);
    const r = await judge([[
      f('opt/a.tar.gz', await readFile(join(dir, 'a.tar.gz'))),
      f('usr/lib/python3/dist-packages/x.whl', await readFile(join(dir, 'a.whl'))),
      f('srv/outer.tar', await readFile(join(dir, 'outer.tar'))),
    ]]);
    for (const res of [r.view, r.sbom]) {
      expect(kinds(res, 'opt/a.tar.gz!pkg/weights.txt')).toEqual(['masquerade', 'unattested-weights']);
      expect(kinds(res, 'opt/a.tar.gz!pkg/evil.pkl')).toEqual(['dangerous-pickle']);
      expect(kinds(res, 'usr/lib/python3/dist-packages/x.whl!m/w.bin')).toEqual(['unattested-weights']);
      expect(kinds(res, 'srv/outer.tar!a.whl!m/w.bin')).toEqual(['unattested-weights']);
    }
  });

  it('an xz file is an unopened archive: reported, not passed silently', async () => {
    const { execFileSync } = await import('node:child_process');
    const xz = execFileSync('xz', ['-c'], { input: safetensors() });
    const { deflateSync } = await import('node:zlib');
    const r = await judge([[f('opt/w.xz', xz), f('opt/model.joblib', deflateSync(EVIL_PICKLE_P2)), f('srv/r/.git/objects/ab/cdef', deflateSync(Buffer.from('blob 3\0abc')))]]);
    expect(r.view).toContainEqual(expect.objectContaining({ kind: 'unopened-archive', path: 'opt/w.xz', fatal: false }));
    expect(r.view).toContainEqual(expect.objectContaining({ kind: 'unopened-archive', path: 'opt/model.joblib', fatal: false }));
    expect(r.view.filter((x) => x.path?.includes('.git/objects'))).toEqual([]);
  });
});

describe('content gate: policy allowances', () => {
  const weights = (path: string, sha256: string): ContentFile => ({ path, size: 100, sha256, layer: 1, info: { format: 'safetensors', cls: 'weights', policyFormats: ['safetensors'], dangerous: [], malformed: [] } });
  const A = 'a'.repeat(64);

  it('models.allowUnattested lets named (and pinned) weights in; another digest under the same name is not let in', async () => {
    const { parsePolicy, allowUnattested } = await import('../../../src/policy/index.js');
    const policy = await parsePolicy(`models:\n  allowUnattested:\n    - path: "usr/lib/python3/dist-packages/en_core_web_sm/**"\n      sha256: "${A}"\n`, 'p.yaml', { readFile: async () => '' });
    const allowed = allowUnattested(policy);
    const files = [weights('usr/lib/python3/dist-packages/en_core_web_sm/model', A), weights('usr/lib/python3/dist-packages/en_core_web_sm/other', 'b'.repeat(64))];
    const out = judgeContent({ files, ...gateSets([]), requireAttestation: true, forbidFormats: [], allowed });
    expect(out.map((f) => [f.path?.split('/').pop(), f.fatal])).toEqual([['model', false], ['other', true]]);
  });

  it('files.unopenedArchives: deny makes an unopened archive fatal; a bad value is a policy error naming the key', async () => {
    const { parsePolicy } = await import('../../../src/policy/index.js');
    const io = { readFile: async () => '' };
    const policy = await parsePolicy('files:\n  unopenedArchives: deny\n', 'p.yaml', io);
    expect(policy.files.unopenedArchives).toBe('deny');
    const xz: ContentFile = { path: 'opt/w.xz', size: 10, layer: 1, info: { format: 'xz', cls: 'archive', policyFormats: [], dangerous: [], malformed: [], unopened: 'xz archives are not opened' } };
    expect(judgeContent({ files: [xz], ...gateSets([]), requireAttestation: true, forbidFormats: [], unopenedFatal: true })).toEqual([expect.objectContaining({ kind: 'unopened-archive', fatal: true })]);
    await expect(parsePolicy('files:\n  unopenedArchives: maybe\n', 'p.yaml', io)).rejects.toThrow(/p\.yaml:2:\d+: files\.unopenedArchives/);
  });
});
