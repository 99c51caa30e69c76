// `mlbuild build` rough edges (issue 9): RUN words expanded as sh does (and what only the run can tell left to the
// post-build check), inputs checked before anything is built, the tag applied only after the SBOM is signed and
// stored, a referrer that cannot be attached after a push, the preflight's messages, -v and -q.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../../src/attest/index.js';
import {
  BASE_IMAGES, docker, fetchManifest, hfModelFiles, makeModelRepo, makeTempDir, REGISTRY, removeImage, repoRoot, run, runCli, startGitServer,
  uniqueRepo, type GitServer, type RunResult, type TempDir,
} from '../../helpers/index.js';
import { FaultProxy } from '../../helpers/fault-proxy.js';
import { hasImage, inspectImage, lines, localRepo, mlbuildBuild, writeFiles, jsonReport } from './setup.js';

/** The fields of the `mlbuild build --json` report the tests read. */
interface BuildReport {
  status: string;
  fetches: { source: string; attested: boolean; untrusted?: boolean }[];
  unresolved: { line: number; text: string }[];
  models: { path: string; attested: boolean }[];
}

let tmp: TempDir;
let server: GitServer;
let key: string;
let pub: string;
let env: NodeJS.ProcessEnv;
let cloneCtx: string;
const made: string[] = [];
const url = (name: string) => `${server.url}/${name}`;

const report = (r: RunResult): BuildReport => jsonReport<BuildReport>(r);

/** `mlbuild build --network host ARGS` with the file's store; TAGS are cleaned up afterwards. */
function build(args: string[], tags: string[] = [], extraEnv: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  made.push(...tags);
  return mlbuildBuild(['--network', 'host', ...tags.flatMap((t) => ['-t', t]), ...args], { ...env, ...extraEnv });
}

/** Images docker built with the label `mlbuild-test-run=RUN` (none: docker never ran). */
async function builtWith(run: string): Promise<string> {
  return (await docker(['images', '-q', '--filter', `label=mlbuild-test-run=${run}`], { check: true })).stdout.trim();
}

beforeAll(async () => {
  tmp = await makeTempDir('build-inputs');
  const repos = join(tmp.path, 'repos');
  await makeModelRepo(repos, 'org/tiny', hfModelFiles());
  await makeModelRepo(repos, 'org/other-signer', hfModelFiles());
  server = await startGitServer(repos);
  const pair = generateKeyPair();
  key = join(tmp.path, 'release.key');
  pub = join(tmp.path, 'release.pub');
  await writeFile(key, pair.privateKeyPem, { mode: 0o600 });
  await writeFile(pub, pair.publicKeyPem);
  env = { MLBUILD_STORE: join(tmp.path, 'store'), MLBUILD_CACHE_DIR: join(tmp.path, 'cache'), DOCKER_BUILDKIT: '1' };
  const a = await runCli(['attest', 'model', `git:${url('org/tiny')}`, '--key', key], { env });
  expect(a.code, a.stderr).toBe(0);
  const stranger = join(tmp.path, 'stranger.key');
  await writeFile(stranger, generateKeyPair().privateKeyPem, { mode: 0o600 });
  const b = await runCli(['attest', 'model', `git:${url('org/other-signer')}`, '--key', stranger], { env });
  expect(b.code, b.stderr).toBe(0);
  cloneCtx = await writeFiles(join(tmp.path, 'clone-ctx'), {
    Dockerfile: [`FROM ${BASE_IMAGES.debian}`, 'ARG MODEL_URL', 'RUN git clone --quiet ${MODEL_URL:?must be set} /models/m', ''].join('\n'),
    'Subst.dockerfile': [`FROM ${BASE_IMAGES.debian}`, 'ARG MODEL_URL', 'RUN git clone --quiet "$(echo ${MODEL_URL})" /models/m', ''].join('\n'),
  });
});

afterAll(async () => {
  await removeImage(...made);
  await server?.close();
  await tmp?.cleanup();
});

describe('RUN words as sh expands them', () => {
  it('git clone ${X:?must be set} with --build-arg X: resolved, attested, built (exit 0)', async () => {
    const tag = `${localRepo('expand')}:1`;
    const r = await build(['--json', '--build-arg', `MODEL_URL=${url('org/tiny')}`, '--key', key, cloneCtx], [tag]);
    expect(r.code, r.stderr).toBe(0);
    expect(report(r).fetches).toEqual([expect.objectContaining({ source: url('org/tiny'), attested: true })]);
    expect(await hasImage(tag)).toBe(true);
  });

  it('a clone URL made by $(…): no refusal before the build, a warning, and the post-build check judges (exit 0)', async () => {
    const tag = `${localRepo('subst')}:1`;
    const r = await build(['--json', '--build-arg', `MODEL_URL=${url('org/tiny')}`, '--key', key, '-f', join(cloneCtx, 'Subst.dockerfile'), cloneCtx], [tag]);
    expect(r.code, r.stderr).toBe(0);
    const rep = report(r);
    expect(rep.fetches).toEqual([]);
    expect(rep.unresolved).toEqual([{ line: 3, text: '"$(echo ${MODEL_URL})"' }]);
    expect(rep.models).toEqual([expect.objectContaining({ path: '/models/m', attested: true })]);
    expect(r.stderr).toMatch(/^warning: .*\$\(echo/m);
  });
});

describe('inputs checked before the build: exit 2, nothing built', () => {
  it('a build context folder that does not exist: exit 2 naming it', async () => {
    const missing = join(tmp.path, 'no-such-context');
    const r = await build(['--allow-unattested', missing]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain(missing);
  });

  it('-t with an invalid reference (upper case): exit 2 before docker runs', async () => {
    const run = localRepo('badtag');
    const r = await build(['--label', `mlbuild-test-run=${run}`, '--allow-unattested', cloneCtx, '-t', 'Mlbuild-Test/UPPER:1', '--build-arg', 'MODEL_URL=x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Mlbuild-Test/UPPER:1');
    expect(await builtWith(run)).toBe('');
  });

  it('--push without -t, and an unwritable --sbom-out: exit 2, nothing built, no tag', async () => {
    const ctx = await writeFiles(join(tmp.path, 'plain-ctx'), { Dockerfile: `FROM ${BASE_IMAGES.busybox}\nRUN echo plain > /plain\n` });
    const run = localRepo('inputs');
    const p = await build(['--label', `mlbuild-test-run=${run}`, '--key', key, '--push', ctx]);
    expect(p.code).toBe(2);
    const tag = `${run}:1`;
    const blocker = join(tmp.path, 'a-file');
    await writeFile(blocker, 'not a folder');
    for (const out of [join(tmp.path, 'no-such-dir', 'bom.json'), join(blocker, 'bom.json'), tmp.path]) {
      const s = await build(['--label', `mlbuild-test-run=${run}`, '--allow-unattested', '--sbom-out', out, ctx], [tag]);
      expect(s.code, out).toBe(2);
      expect(s.stderr).toContain(out);
    }
    expect(await hasImage(tag)).toBe(false);
    expect(await builtWith(run)).toBe('');
  });
});

describe('the tag comes last', () => {
  it('--store under a file: exit 2 before the build; a store refusing the write: exit 3, and the image is not tagged', async () => {
    const blocker = join(tmp.path, 'store-blocker');
    await writeFile(blocker, 'a file where the store folder would be');
    const ctx = await writeFiles(join(tmp.path, 'store-ctx'), { Dockerfile: `FROM ${BASE_IMAGES.busybox}\nRUN echo store-${Date.now()} > /store\n` });
    const label = localRepo('rostore');
    const tag = `${label}:1`;
    const early = await build(['--label', `mlbuild-test-run=${label}`, '--key', key, '--allow-unattested', '--store', join(blocker, 'store'), ctx], [tag]);
    expect(early.code).toBe(2);
    expect(early.stderr).toContain(blocker);
    expect(await builtWith(label)).toBe('');
    // A store whose bundle folder refuses writes (immutable for root, read-only otherwise): the build runs, the
    // signed SBOM cannot be stored, and the image gets no tag.
    const store = join(tmp.path, 'ro-store');
    const bundles = join(store, 'bundles');
    await mkdir(bundles, { recursive: true });
    if ((await run('chattr', ['+i', bundles])).code !== 0) await chmod(bundles, 0o555);
    try {
      const r = await build(['--label', `mlbuild-test-run=${label}`, '--key', key, '--allow-unattested', '--store', store, ctx], [tag]);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toContain(store);
      expect(await builtWith(label)).not.toBe(''); // it was built
      expect(await hasImage(tag)).toBe(false);
    } finally {
      await run('chattr', ['-i', bundles]);
      await chmod(bundles, 0o755);
    }
  });

  it('--push whose referrer cannot be attached: exit 3, saying the pushed tag carries no attestation', async () => {
    const proxy = await FaultProxy.start(`http://${REGISTRY}`);
    try {
      // The image's own manifest goes up by tag; the referrer manifest and the fallback index are refused.
      proxy.add({ method: 'PUT', path: /\/manifests\/sha256[:-]/, fault: { kind: 'status', status: 403 } });
      const ctx = await writeFiles(join(tmp.path, 'push-ctx'), { Dockerfile: `FROM ${BASE_IMAGES.busybox}\nRUN echo push-${Date.now()} > /push\n` });
      const repo = uniqueRepo('noref');
      const ref = `${proxy.host}/${repo}:1`;
      const r = await build(['--key', key, '--allow-unattested', '--push', ctx], [ref]);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/carries no attestation/);
      expect((await fetchManifest(REGISTRY, repo, '1')).status).toBe(200); // it was pushed
    } finally {
      await proxy.close();
    }
  });
});

describe('preflight messages', () => {
  it('a model attested only by an untrusted key is not attested: refused, and said so', async () => {
    const run = localRepo('untrusted');
    const r = await build(['--json', '--label', `mlbuild-test-run=${run}`, '--build-arg', `MODEL_URL=${url('org/other-signer')}`, '--trust-key', pub, cloneCtx]);
    expect(r.code).toBe(1);
    const rep = report(r);
    expect(rep.status).toBe('unattested');
    expect(rep.fetches).toEqual([expect.objectContaining({ attested: false, untrusted: true })]);
    expect(r.stderr).toContain('untrusted key');
    expect(await builtWith(run)).toBe('');
  });

  it('a single-file COPY suggests file:, and the command carries the --store the build was given', async () => {
    const ctx = await writeFiles(join(tmp.path, 'file-ctx'), { 'weights.safetensors': hfModelFiles()['model.safetensors'], Dockerfile: `FROM ${BASE_IMAGES.busybox}\nCOPY weights.safetensors /models/\n` });
    const store = join(tmp.path, 'other store');
    await mkdir(store, { recursive: true });
    const r = await build(['--key', key, '--store', store, ctx]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`mlbuild attest model file:${join(ctx, 'weights.safetensors')} --key ${key} --store '${store}'`);
    // Run verbatim (through sh), it attests the file and the same build passes.
    const attest = r.stderr.match(/run: (mlbuild attest model .*)$/m)?.[1] ?? '';
    const a = await run('sh', ['-c', attest.replace(/^mlbuild /, `"${process.execPath}" bin/mlbuild `)], { cwd: repoRoot, env });
    expect(a.code, a.stderr).toBe(0);
    const tag = `${localRepo('file')}:1`;
    const ok = await build(['--key', key, '--store', store, ctx], [tag]);
    expect(ok.code, ok.stderr).toBe(0);
  });
});

describe('global flags on build', () => {
  it('-v is accepted; -q: stdout is the image ID and mlbuild prints nothing else', async () => {
    const ctx = await writeFiles(join(tmp.path, 'quiet-ctx'), { Dockerfile: `FROM ${BASE_IMAGES.busybox}\nRUN echo quiet > /quiet\n` });
    const v = await build(['-v', '--allow-unattested', ctx]);
    expect(v.code, v.stderr).toBe(0);
    const tag = `${localRepo('quiet')}:1`;
    const q = await build(['-q', '--key', key, '--allow-unattested', ctx], [tag]);
    expect(q.code, q.stderr).toBe(0);
    expect(lines(q.stdout)).toEqual([(await inspectImage(tag))?.id]);
    expect(q.stderr.trim()).toBe('');
  });
});
