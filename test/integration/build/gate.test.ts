// `mlbuild build` gating on attested models, with models served over real git smart-HTTP and the real engine and
// registry: an attested clone builds, tags, writes a linked SBOM and (--push) a referrer verify image accepts; a
// changed upstream model, an unattested clone, an edited COPY and a forbidden pickle each fail with no tag and no
// push; --allow-unattested builds with a warning; Ctrl-C mid-build exits 130 leaving no tag and no temp folder.
import { spawn } from 'node:child_process';
import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../../src/attest/index.js';
import {
  BASE_IMAGES, cliPath, commitFiles, docker, fetchManifest, hfModelFiles, makeModelRepo, makeTempDir, REGISTRY, removeImage,
  repoRoot, runCli, safetensors, startGitServer, uniqueRepo, type GitServer, type RunResult, type TempDir,
} from '../../helpers/index.js';
import { hasImage, localRepo, mlbuildBuild, writeFiles, jsonReport } from './setup.js';

/** The fields of the `mlbuild build --json` report the tests read. */
interface BuildReport {
  status: string;
  imageId?: string;
  fetches: { source: string; attested: boolean }[];
  findings: { kind: string; path?: string; model?: string; message: string }[];
  warnings: { kind: string; message: string }[];
  models: { name: string; path: string; attested: boolean }[];
  published?: { tags: string[]; pushed: { repository: string; digest: string; referrer: string }[] };
}

/** A CycloneDX component, as far as the tests read it. */
interface Component {
  type: string;
  name: string;
  properties?: { name: string; value: string }[];
}

let tmp: TempDir;
let server: GitServer;
let key: string;
let pub: string;
let env: NodeJS.ProcessEnv;
let cloneCtx: string;
const made: string[] = [];
const url = (name: string) => `${server.url}/${name}`;

/** Parses the --json report on stdout (docker's own output goes to stderr under BuildKit). */
const report = (r: RunResult): BuildReport => jsonReport<BuildReport>(r);

/** `mlbuild build --json --network host` with the file's store, cache and BuildKit; tags are cleaned up afterwards. */
function build(args: string[], tags: string[] = []): Promise<RunResult> {
  made.push(...tags);
  return mlbuildBuild(['--json', '--network', 'host', ...tags.flatMap((t) => ['-t', t]), ...args], env);
}

/** Runs `mlbuild attest model SOURCE --key` into the file's store; throws on failure. */
async function attest(source: string): Promise<void> {
  const r = await runCli(['attest', 'model', source, '--key', key], { env });
  if (r.code !== 0) throw new Error(`attest ${source} failed (exit ${r.code}): ${r.stderr}`);
}

beforeAll(async () => {
  tmp = await makeTempDir('build-gate');
  const repos = join(tmp.path, 'repos');
  await makeModelRepo(repos, 'org/tiny', { ...hfModelFiles(), 'tokenizer/vocab.txt': 'a\nb\n' });
  await makeModelRepo(repos, 'org/changing', hfModelFiles());
  await makeModelRepo(repos, 'org/unattested', hfModelFiles());
  server = await startGitServer(repos);
  const pair = generateKeyPair();
  key = join(tmp.path, 'release.key');
  pub = join(tmp.path, 'release.pub');
  await writeFile(key, pair.privateKeyPem, { mode: 0o600 });
  await writeFile(pub, pair.publicKeyPem);
  env = { MLBUILD_STORE: join(tmp.path, 'store'), MLBUILD_CACHE_DIR: join(tmp.path, 'cache'), DOCKER_BUILDKIT: '1' };
  await attest(`git:${url('org/tiny')}`);
  await attest(`git:${url('org/changing')}`);
  cloneCtx = await writeFiles(join(tmp.path, 'clone-ctx'), {
    Dockerfile: [`FROM ${BASE_IMAGES.debian}`, 'ARG MODEL_URL', 'RUN git clone --quiet ${MODEL_URL} /models/m', 'WORKDIR /srv', 'COPY app.py .', 'CMD ["python3", "app.py"]', ''].join('\n'),
    'app.py': 'print("serving /models/m")\n',
  });
});

afterAll(async () => {
  await removeImage(...made);
  await server?.close();
  await tmp?.cleanup();
});

describe('a model cloned from git during the build', () => {
  it('attested: builds, tags, and the SBOM links the model to its attestation', async () => {
    const tag = `${localRepo('gate')}:ok`;
    const sbomFile = join(tmp.path, 'ok.cdx.json');
    const r = await build(['--build-arg', `MODEL_URL=${url('org/tiny')}`, '--key', key, '--sbom-out', sbomFile, cloneCtx], [tag]);
    expect(r.code, r.stderr).toBe(0);
    const rep = report(r);
    expect(rep.status).toBe('ok');
    expect(rep.fetches).toEqual([expect.objectContaining({ source: url('org/tiny'), attested: true })]);
    expect(rep.models).toEqual([expect.objectContaining({ path: '/models/m', attested: true })]);
    expect(await hasImage(tag)).toBe(true);
    const bom = JSON.parse(await readFile(sbomFile, 'utf8')) as { components: Component[] };
    const models = bom.components.filter((c) => c.type === 'machine-learning-model');
    expect(models).toHaveLength(1);
    const props = Object.fromEntries((models[0].properties ?? []).map((p) => [p.name, p.value]));
    expect(props['mlbuild:attestation:subject']).toMatch(/^(sha256:)?[0-9a-f]{64}$/);
    expect(props['mlbuild:attestation:digest']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(props['mlbuild:attestation:source']).toBe(url('org/tiny'));
    expect(props['mlbuild:attestation:commit']).toMatch(/^[0-9a-f]{40}$/);
    expect(props['mlbuild:attestation:signer']).toMatch(/^key:/);
  });

  it('--push: pushes the tag and a signed SBOM referrer that verify image accepts', async () => {
    const repository = `${REGISTRY}/${uniqueRepo('build')}`;
    const ref = `${repository}:1`;
    const r = await build(['--build-arg', `MODEL_URL=${url('org/tiny')}`, '--key', key, '--push', cloneCtx], [ref]);
    expect(r.code, r.stderr).toBe(0);
    const pushed = report(r).published?.pushed ?? [];
    expect(pushed).toHaveLength(1);
    expect(pushed[0].repository).toBe(repository);
    const v = await runCli(['--json', 'verify', 'image', ref, '--key', pub], { env });
    expect(v.code, v.stderr).toBe(0);
    const vr = JSON.parse(v.stdout) as { ok: boolean; digest: string; attestations: { referrer: string }[] };
    expect(vr).toMatchObject({ ok: true, digest: pushed[0].digest, attestations: [{ referrer: pushed[0].referrer }] });
  });

  it('a changed upstream model (new commit): exit 1 naming the file, no tag, nothing pushed', async () => {
    await commitFiles(join(tmp.path, 'repos', 'org/changing'), { 'model.safetensors': safetensors({ w: { shape: [1], values: [42] } }) }, 'swap weights');
    const repo = uniqueRepo('changed');
    const ref = `${REGISTRY}/${repo}:1`;
    const r = await build(['--no-cache', '--build-arg', `MODEL_URL=${url('org/changing')}`, '--key', key, '--push', cloneCtx], [ref]);
    expect(r.code, r.stderr).toBe(1);
    const rep = report(r);
    expect(rep.status).toBe('check-failed');
    // Compared with the attested revision of the same source, file by file: only the weights differ.
    const mismatches = rep.findings.filter((f) => f.kind === 'model-mismatch');
    expect(mismatches.map((f) => f.path)).toEqual(['model.safetensors']);
    expect(r.stderr).toContain('model.safetensors');
    expect(rep.published).toBeUndefined();
    expect(await hasImage(ref)).toBe(false);
    expect(rep.imageId && (await hasImage(rep.imageId))).toBe(false); // the untagged image was removed too
    expect((await fetchManifest(REGISTRY, repo, '1')).status).toBe(404);
  });

  it('an unattested clone URL: exit 1 before docker runs, naming the exact attest command', async () => {
    const run = localRepo('unattested');
    const before = server.requests.length;
    const r = await build(['--build-arg', `MODEL_URL=${url('org/unattested')}`, '--label', `mlbuild-test-run=${run}`, '--key', key, cloneCtx], [`${run}:1`]);
    expect(r.code).toBe(1);
    expect(report(r).status).toBe('unattested');
    expect(r.stderr).toContain(`mlbuild attest model git:${url('org/unattested')} --key ${key}`);
    expect(server.requests.slice(before)).toEqual([]); // nothing cloned: docker never ran
    const built = await docker(['images', '-q', '--filter', `label=mlbuild-test-run=${run}`], { check: true });
    expect(built.stdout.trim()).toBe('');
    expect(await hasImage(`${run}:1`)).toBe(false);
  });

  it('--allow-unattested: builds and tags the unattested model, with a warning', async () => {
    const tag = `${localRepo('allowed')}:1`;
    const r = await build(['--build-arg', `MODEL_URL=${url('org/unattested')}`, '--allow-unattested', cloneCtx], [tag]);
    expect(r.code, r.stderr).toBe(0);
    const rep = report(r);
    expect(rep.status).toBe('ok');
    expect(rep.warnings.map((w) => w.kind)).toContain('unsigned');
    expect(rep.models).toEqual([expect.objectContaining({ path: '/models/m', attested: false })]);
    expect(r.stderr).toMatch(/^warning: /m);
    expect(await hasImage(tag)).toBe(true);
  });
});

describe('models copied from the build context', () => {
  let ctx: string;
  beforeAll(async () => {
    ctx = await writeFiles(join(tmp.path, 'copy-ctx'), {
      ...Object.fromEntries(Object.entries(hfModelFiles()).map(([k, v]) => [`model/${k}`, v])),
      Dockerfile: `FROM ${BASE_IMAGES.busybox}\nCOPY model /models/local\n`,
      'Tampered.dockerfile': `FROM ${BASE_IMAGES.busybox}\nCOPY model /models/local\nRUN echo tampered >> /models/local/model.safetensors\n`,
    });
    await attest(`dir:${join(ctx, 'model')}`);
  });

  it('an attested folder passes; edited in the image by a later step, it fails with no tag', async () => {
    const ok = `${localRepo('copy')}:ok`;
    const r = await build(['--trust-key', pub, ctx], [ok]);
    expect(r.code, r.stderr).toBe(0);
    expect(report(r).models).toEqual([expect.objectContaining({ path: '/models/local', attested: true })]);
    expect(await hasImage(ok)).toBe(true);

    const bad = `${localRepo('copy')}:tampered`;
    const t = await build(['--trust-key', pub, '-f', join(ctx, 'Tampered.dockerfile'), ctx], [bad]);
    expect(t.code).toBe(1);
    const rep = report(t);
    expect(rep.status).toBe('check-failed');
    expect(rep.findings.length).toBeGreaterThan(0);
    expect(rep.findings.every((f) => f.model === 'local')).toBe(true);
    // The report names the file the later step changed, compared with the attestation found before the build.
    expect(rep.findings).toContainEqual(expect.objectContaining({ kind: 'model-mismatch', path: 'model.safetensors' }));
    expect(rep.models).toEqual([expect.objectContaining({ path: '/models/local', attested: false })]);
    expect(await hasImage(bad)).toBe(false);
  });

  it('an edited copy of the folder in the context fails before the build, no tag', async () => {
    const edited = join(tmp.path, 'copy-ctx-edited');
    await writeFiles(edited, {
      ...Object.fromEntries(Object.entries(hfModelFiles()).map(([k, v]) => [`model/${k}`, v])),
      Dockerfile: `FROM ${BASE_IMAGES.busybox}\nCOPY model /models/local\n`,
    });
    await appendFile(join(edited, 'model', 'model.safetensors'), 'x');
    const tag = `${localRepo('copy')}:edited`;
    const r = await build(['--trust-key', pub, edited], [tag]);
    expect(r.code).toBe(1);
    expect(report(r).status).toBe('unattested');
    expect(r.stderr).toContain(`mlbuild attest model dir:${join(edited, 'model')}`);
    expect(await hasImage(tag)).toBe(false);
  });

  it('a pickle file under a policy with forbidFormats: [pickle] fails; the same image passes without it', async () => {
    const ctx2 = await writeFiles(join(tmp.path, 'pickle-ctx'), {
      'model/config.json': `${JSON.stringify({ model_type: 'bert', architectures: ['BertModel'] })}\n`,
      'model/pytorch_model.bin': Buffer.concat([Buffer.from([0x80, 0x02]), Buffer.from('}q\x00.', 'latin1')]),
      Dockerfile: `FROM ${BASE_IMAGES.busybox}\nCOPY model /models/pickled\n`,
    });
    await attest(`dir:${join(ctx2, 'model')}`);
    const policy = join(tmp.path, 'no-pickle.yaml');
    await writeFile(policy, `version: 1\nsigners:\n  - key: ${pub}\nmodels:\n  requireAttestation: true\n  forbidFormats: [pickle]\n`);
    const tag = `${localRepo('pickle')}:1`;
    const r = await build(['--policy', policy, ctx2], [tag]);
    expect(r.code).toBe(1);
    const rep = report(r);
    expect(rep.status).toBe('check-failed');
    expect(rep.findings).toContainEqual(expect.objectContaining({ kind: 'format-forbidden', path: 'pytorch_model.bin' }));
    expect(await hasImage(tag)).toBe(false);

    const allowed = await build(['--trust-key', pub, ctx2], [tag]);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(await hasImage(tag)).toBe(true);
  });
});

describe('Ctrl-C', () => {
  it('mid-build: exit 130, no tag, no temp folder left', async () => {
    const ctx = await writeFiles(join(tmp.path, 'sleep-ctx'), { Dockerfile: `FROM ${BASE_IMAGES.busybox}\nRUN echo started-${Date.now()} && sleep 30\n` });
    const tag = `${localRepo('interrupted')}:1`;
    made.push(tag);
    const temps = async () => new Set((await readdir(tmpdir())).filter((n) => n.startsWith('mlbuild-build-')));
    const before = await temps();
    const child = spawn(process.execPath, [cliPath, 'build', '--network', 'host', '--progress', 'plain', '-t', tag, '--allow-unattested', ctx], {
      cwd: repoRoot,
      env: { ...process.env, ...env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const started = new Promise<void>((resolve) => {
      child.stderr.on('data', (b: Buffer) => {
        stderr += b.toString();
        if (/started-\d+/.test(stderr.replace(/RUN echo started-\d+/g, ''))) resolve(); // the RUN step's own output
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const during = await Promise.race([started.then(() => temps()), exited.then(() => undefined)]);
    expect(during, `the build ended before it could be interrupted:\n${stderr}`).toBeDefined();
    const ours = [...(during ?? [])].filter((n) => !before.has(n));
    expect(ours.length).toBeGreaterThan(0); // the build's own temp folder exists while docker runs
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(130);
    expect(await hasImage(tag)).toBe(false);
    const after = await temps();
    expect(ours.filter((n) => after.has(n))).toEqual([]);
  });
});
