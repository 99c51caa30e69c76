import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdir, writeFile, readFile, access } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BASE_IMAGES, buildImage, removeImage, runInImage, saveImage, pushImage, REGISTRY, uniqueRepo,
  startGitServer, makeModelRepo, hfModelFiles, safetensors, gguf, makeTempDir, runCli, type GitServer, type TempDir,
} from '../helpers/index.js';

interface Component { type: string; name: string; version?: string; purl?: string; licenses?: Array<{ license: { id?: string; name?: string } }>; hashes?: Array<{ content: string }>; properties?: Array<{ name: string; value: string }>; components?: Component[]; modelCard?: Record<string, unknown> }
interface Bom { components: Component[]; metadata: { properties?: Array<{ name: string; value: string }> } }

const prop = (c: Component, name: string) => c.properties?.find((p) => p.name === name)?.value;

describe('mlbuild sbom of a real ML image', () => {
  let tmp: TempDir;
  let git: GitServer;
  let commit: string;
  const tag = `mlbuild-it/sbom:${Date.now()}`;
  let bom: Bom;

  beforeAll(async () => {
    tmp = await makeTempDir('sbom');
    const repos = join(tmp.path, 'git');
    ({ commit } = await makeModelRepo(repos, 'acme/tiny-bert', hfModelFiles({ license: 'apache-2.0', pipeline_tag: 'text-classification', datasets: ['acme/reviews'] })));
    git = await startGitServer(repos);
    const ctx = join(tmp.path, 'ctx');
    await mkdir(join(ctx, 'weights', 'broken'), { recursive: true });
    await writeFile(join(ctx, 'weights', 'llm.gguf'), gguf());
    // Malformed model files: a safetensors header length beyond the file, invalid config.json and front matter.
    const bad = safetensors();
    bad.writeBigUInt64LE(10n ** 12n, 0);
    await writeFile(join(ctx, 'weights', 'broken', 'model.safetensors'), bad);
    await writeFile(join(ctx, 'weights', 'broken', 'config.json'), '{ not json');
    await writeFile(join(ctx, 'weights', 'broken', 'README.md'), '---\nlicense: [mit\n---\n');
    await writeFile(
      join(ctx, 'Dockerfile'),
      [
        `FROM ${BASE_IMAGES.debian}`,
        `RUN git clone ${git.url}/acme/tiny-bert /models/tiny-bert`,
        'RUN mkdir -p /usr/lib/python3/dist-packages/demo_pkg-1.2.3.dist-info && printf "Metadata-Version: 2.1\\nName: Demo_Pkg\\nVersion: 1.2.3\\nLicense-Expression: MIT\\n" > /usr/lib/python3/dist-packages/demo_pkg-1.2.3.dist-info/METADATA',
        'RUN echo secret > /tmp/secret.txt',
        'COPY weights /models/extra',
        'RUN rm /tmp/secret.txt && mkdir -p /opt/cfg && echo old > /opt/cfg/old.txt',
        'RUN rm -rf /opt/cfg && mkdir /opt/cfg && echo new > /opt/cfg/new.txt',
      ].join('\n'),
    );
    await buildImage(ctx, tag);
    const r = await runCli(['sbom', `docker:${tag}`, '-o', join(tmp.path, 'sbom.json')], { env: { MLBUILD_CACHE_DIR: join(tmp.path, 'cache') } });
    expect(r.code, r.stderr).toBe(0);
    bom = JSON.parse(await readFile(join(tmp.path, 'sbom.json'), 'utf8'));
  });

  afterAll(async () => {
    await git?.close();
    await removeImage(tag);
    await tmp?.cleanup();
  });

  it('lists exactly the dpkg packages dpkg-query prints inside the image, with exact versions', async () => {
    const q = await runInImage(tag, ['dpkg-query', '-W', '-f', '${Package} ${Version}\n']);
    expect(q.code).toBe(0);
    const want = q.stdout.trim().split('\n').sort();
    const got = bom.components.filter((c) => c.purl?.startsWith('pkg:deb/')).map((c) => `${c.name} ${c.version}`).sort();
    expect(got).toEqual(want);
  });

  it('lists the Python package', () => {
    expect(bom.components.find((c) => c.purl === 'pkg:pypi/demo-pkg@1.2.3')?.licenses?.[0].license.id).toBe('MIT');
  });

  it('describes the cloned model: card facts, license, purl with commit, every file with the SHA-256 the image holds', async () => {
    const m = bom.components.find((c) => c.type === 'machine-learning-model' && c.name === 'acme/tiny-bert');
    expect(m).toBeDefined();
    expect(m?.purl).toContain(`pkg:huggingface/acme/tiny-bert@${commit}`);
    expect(m?.licenses?.[0].license.id).toBe('Apache-2.0');
    expect(m?.modelCard).toMatchObject({ modelParameters: { task: 'text-classification', datasets: [{ type: 'dataset', name: 'acme/reviews' }] } });
    expect(prop(m as Component, 'mlbuild:layer:createdBy')).toContain('git clone');
    const files = m?.components ?? [];
    expect(files.map((f) => f.name).sort()).toContain('/models/tiny-bert/model.safetensors');
    const sums = await runInImage(tag, ['sh', '-c', 'cd /models/tiny-bert && sha256sum config.json model.safetensors README.md']);
    for (const line of sums.stdout.trim().split('\n')) {
      const [hex, name] = line.split(/\s+/);
      expect(files.find((f) => f.name === `/models/tiny-bert/${name}`)?.hashes?.[0].content).toBe(hex);
    }
  });

  it('lists malformed model files with warnings, and the lone GGUF file', () => {
    const broken = bom.components.find((c) => c.type === 'machine-learning-model' && prop(c, 'mlbuild:model:path') === '/models/extra/broken');
    expect(broken).toBeDefined();
    expect(broken?.properties?.filter((p) => p.name === 'mlbuild:warning').length).toBeGreaterThan(0);
    expect(bom.components.some((c) => c.type === 'machine-learning-model' && prop(c, 'mlbuild:model:formats') === 'gguf')).toBe(true);
  });

  it('omits what a later layer deleted (whiteouts and opaque directories)', () => {
    expect(bom.components.some((c) => c.name === '/tmp/secret.txt')).toBe(false);
    expect(bom.components.some((c) => c.name === '/opt/cfg/old.txt')).toBe(false);
    expect(bom.components.some((c) => c.name === '/opt/cfg/new.txt')).toBe(true);
  });

  it('gives the same components from docker save, the registry and the engine export stream', async () => {
    const archive = join(tmp.path, 'image.tar');
    await saveImage(tag, archive);
    const pushed = await pushImage(tag, `${REGISTRY}/${uniqueRepo('sbom')}:1`);
    const files = (b: Bom) => b.components.filter((c) => c.type !== 'file' || c.name.startsWith('/models')).map((c) => `${c.type} ${c.name} ${c.version ?? ''} ${c.hashes?.[0]?.content ?? ''}`).sort();
    const targets: Array<[string, Record<string, string>]> = [
      [`docker-archive:${archive}`, {}],
      [`registry:${pushed.ref}`, {}],
      // The engine's export stream, as used for remote engines: layers matched by diffID while they stream.
      [`docker:${tag}`, { MLBUILD_DAEMON_READ: 'export' }],
    ];
    for (const [target, env] of targets) {
      const r = await runCli(['sbom', target, '--no-cache'], { env });
      expect(r.code, r.stderr).toBe(0);
      expect(files(JSON.parse(r.stdout))).toEqual(files(bom));
    }
  });

  it('exits 2 on a missing target and writes no partial output', async () => {
    const out = join(tmp.path, 'never.json');
    const r = await runCli(['sbom', `docker-archive:${join(tmp.path, 'missing.tar')}`, '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    await expect(access(out)).rejects.toThrow();
  });
});
