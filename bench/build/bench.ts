// bench/build: `mlbuild build` vs plain `docker build` of examples/ml-service with a generated 1 GiB model repository
// served over git HTTP, all measured in one run. Reports (a) mlbuild build's overhead beyond its own SBOM scan
// (mlbuild build − docker build − standalone `mlbuild sbom --no-cache`) and (b) the scan time a rebuild with only the
// app layer changed adds, against the first scan (layer cache): measured directly (a standalone scan of docker's
// rebuilt image with the layer cache of the first build) and inside mlbuild build (its time beyond docker's rebuild,
// less the fixed overhead of (a)). Run through bench/build/run.sh.
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { run, type RunResult } from '../../test/helpers/exec.js';
import { startGitServer } from '../../test/helpers/git-server.js';
import { GIT_TEST_ENV } from '../../test/helpers/git-repo.js';
import { cliPath, repoRoot } from '../../test/helpers/cli.js';

const WORK = process.env.BENCH_DIR ?? '/var/tmp/mlbuild-bench-build';
const MIB = Number(process.argv[2] ?? '1024');
const REPS = Number(process.env.BENCH_REPS ?? '3');
const DOCKER = '/usr/bin/docker';
const MODEL = 'bench/ml-model';
const IMAGE = 'mlbuild-bench/ml-service';
const ENV = { DOCKER_BUILDKIT: '1', NO_COLOR: '1' };

/** Runs a command and returns its wall time in seconds; throws (with its output) unless it exits 0. */
async function timed(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  const start = performance.now();
  const r: RunResult = await run(file, args, { env: { ...ENV, ...env }, timeoutMs: 3_600_000 });
  const secs = (performance.now() - start) / 1000;
  if (r.code !== 0) throw new Error(`${file} ${args.join(' ')} exited ${r.code}\n${r.stderr.slice(-4000)}`);
  return secs;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const git = (dir: string, args: string[]) => run('git', args, { cwd: dir, env: GIT_TEST_ENV, check: true, timeoutMs: 3_600_000 });

/** The model repository (4 safetensors shards + card + config, MIB MiB), made once and kept under WORK. */
async function modelRepo(root: string): Promise<void> {
  const dir = join(root, MODEL);
  const marker = join(WORK, 'model-mib');
  if (existsSync(join(dir, '.git')) && existsSync(marker) && readFileSync(marker, 'utf8') === String(MIB)) return;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await run(process.execPath, [join(repoRoot, 'bench/sbom/make-model.mjs'), dir, String(MIB)], { check: true, timeoutMs: 3_600_000 });
  await git(dir, ['init', '-q', '-b', 'main']);
  // Random weights do not compress: store them as they are, and never try deltas on them.
  await git(dir, ['config', 'core.compression', '0']);
  await git(dir, ['config', 'core.bigFileThreshold', '1m']);
  await git(dir, ['add', '-A']);
  await git(dir, ['commit', '-q', '-m', 'bench model']);
  await git(dir, ['repack', '-a', '-d', '-q']);
  await writeFile(marker, String(MIB));
}

async function main(): Promise<void> {
  await mkdir(WORK, { recursive: true });
  const gitRoot = join(WORK, 'git');
  await modelRepo(gitRoot);
  const server = await startGitServer(gitRoot);
  const modelUrl = `${server.url}/${MODEL}`;
  try {
    const ctx = join(WORK, 'ctx');
    await rm(ctx, { recursive: true, force: true });
    await cp(join(repoRoot, 'examples/ml-service'), ctx, { recursive: true });
    const changeApp = (n: string) => writeFile(join(ctx, 'app', 'bench-version.txt'), `${n}\n`);
    await changeApp('initial');

    const keys = join(WORK, 'keys');
    const store = join(WORK, 'store');
    await rm(keys, { recursive: true, force: true });
    await rm(store, { recursive: true, force: true });
    const mlEnv = (cache: string) => ({ MLBUILD_STORE: store, MLBUILD_CACHE_DIR: cache });
    const mlbuild = (args: string[], cache: string) => timed(process.execPath, [cliPath, ...args], mlEnv(cache));
    await mlbuild(['keys', 'generate', '--out', keys], join(WORK, 'cache-unused'));
    process.stderr.write(`bench/build: attesting ${modelUrl} (${MIB} MiB)…\n`);
    const tAttest = await mlbuild(['attest', 'model', `git:${modelUrl}`, '--key', join(keys, 'mlbuild.key')], join(WORK, 'cache-unused'));

    const common = ['--network', 'host', '--build-arg', `MODEL_URL=${modelUrl}`];
    const dockerBuild = (tag: string, extra: string[] = []) => timed(DOCKER, ['build', ...common, ...extra, '-t', `${IMAGE}:${tag}`, ctx]);
    const mlbuildBuild = (tag: string, cache: string, extra: string[] = []) =>
      mlbuild(['build', ...common, ...extra, '-t', `${IMAGE}:${tag}`, '--key', join(keys, 'mlbuild.key'), ctx], cache);

    // Cold: both clone the model and write its layer (--no-cache); context only, docker's own time dominates.
    process.stderr.write('bench/build: cold builds (--no-cache)…\n');
    const coldDocker = await dockerBuild('docker', ['--no-cache']);
    const coldCache = join(WORK, 'cache-cold');
    await rm(coldCache, { recursive: true, force: true });
    const coldMlbuild = await mlbuildBuild('mlbuild', coldCache, ['--no-cache']);
    await dockerBuild('docker'); // docker's cache now holds the image mlbuild built last: the runs below reuse it

    // (a) Overhead: docker's work is the same cached build in both, the scan starts with an empty layer cache.
    const a: { docker: number; mlbuild: number; sbom: number }[] = [];
    for (let i = 0; i < REPS; i++) {
      process.stderr.write(`bench/build: (a) run ${i + 1}/${REPS}…\n`);
      const cache = join(WORK, `cache-a${i}`);
      await rm(cache, { recursive: true, force: true });
      const d = await dockerBuild('docker');
      const m = await mlbuildBuild('mlbuild', cache);
      const s = await mlbuild(['sbom', '--no-cache', '-o', join(WORK, 'sbom.cdx.json'), `docker:${IMAGE}:mlbuild`], cache);
      a.push({ docker: d, mlbuild: m, sbom: s });
    }

    // (b) Rebuilds with only the app layer changed, with the layer cache of a first mlbuild build: docker's rebuild,
    // a standalone scan of it (only its new app layer is not cached yet), then mlbuild's own rebuild.
    const cacheB = join(WORK, 'cache-b');
    await rm(cacheB, { recursive: true, force: true });
    await changeApp('first');
    await mlbuildBuild('mlbuild', cacheB);
    const b: { docker: number; sbom: number; mlbuild: number }[] = [];
    for (let i = 0; i < REPS; i++) {
      process.stderr.write(`bench/build: (b) run ${i + 1}/${REPS}…\n`);
      await changeApp(`docker-${i}`);
      const d = await dockerBuild('docker');
      const s = await mlbuild(['sbom', '-o', join(WORK, 'sbom-rebuild.cdx.json'), `docker:${IMAGE}:docker`], cacheB);
      await changeApp(`mlbuild-${i}`);
      const m = await mlbuildBuild('mlbuild', cacheB);
      b.push({ docker: d, sbom: s, mlbuild: m });
    }

    const dA = median(a.map((x) => x.docker));
    const mA = median(a.map((x) => x.mlbuild));
    const sA = median(a.map((x) => x.sbom));
    const overhead = median(a.map((x) => x.mlbuild - x.docker - x.sbom));
    const rescan = median(b.map((x) => x.sbom));
    const beyond = median(b.map((x) => x.mlbuild - x.docker));
    const added = beyond - overhead;
    const size = (await run(DOCKER, ['image', 'inspect', '--format', '{{.Size}}', `${IMAGE}:mlbuild`])).stdout.trim();
    const f = (x: number) => x.toFixed(2).padStart(8);
    const row = (label: string, ...cols: string[]) => process.stdout.write(`${label.padEnd(58)}${cols.join('')}\n`);
    process.stdout.write(`\nbench/build: examples/ml-service, model ${MIB} MiB cloned over git HTTP, image ${Math.round(Number(size) / 1048576)} MiB; medians of ${REPS} runs; seconds\n`);
    process.stdout.write(`(attest model: ${tAttest.toFixed(2)} s, not part of a build)\n\n`);
    row('measure', '   value', '  target');
    row('cold build --no-cache: docker build', f(coldDocker));
    row('cold build --no-cache: mlbuild build', f(coldMlbuild));
    row('cached build: docker build', f(dA));
    row('cached build: mlbuild build (empty layer cache)', f(mA));
    row('standalone mlbuild sbom docker:IMG --no-cache', f(sA));
    row('(a) overhead: mlbuild − docker − standalone sbom', f(overhead), '   < 1.00');
    row('app-only rebuild: docker build', f(median(b.map((x) => x.docker))));
    row('app-only rebuild: mlbuild build (layer cache)', f(median(b.map((x) => x.mlbuild))));
    row('app-only rebuild: mlbuild − docker', f(beyond));
    row('app-only rebuild: standalone sbom with the layer cache', f(rescan));
    row('(b) rescan with the layer cache / first scan (--no-cache)', f(rescan / sA), '  <= 0.20');
    row('(b) in-build added scan (mlbuild − docker − (a)) / first', f(added / sA), '  <= 0.20');
  } catch (err) {
    const failed = server.requests.filter((r) => r.status >= 400);
    if (failed.length > 0) process.stderr.write(`git server answered errors: ${JSON.stringify(failed)}\n`);
    throw err;
  } finally {
    await server.close();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`bench/build failed: ${err.message}\n`);
  process.exitCode = 1;
});
