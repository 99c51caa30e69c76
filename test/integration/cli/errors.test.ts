// The CLI keeps its promises on failure: --json answers on stdout for every error, exit codes stay in 0–3, and
// filesystem faults of keys and stores are one line with exit 2 (a bad path the user gave) or 3 (the machine refused).
import { chmod, copyFile, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, makeTempDir, repoRoot, run, runCli, safetensors, type RunResult, type TempDir } from '../../helpers/index.js';
import { writeDockerArchive } from '../../helpers/image-fixture.js';
import { makeTar } from '../../helpers/tar-writer.js';

let tmp: TempDir;
let key: string;
let model: string;

beforeAll(async () => {
  tmp = await makeTempDir('cli-errors');
  const keys = join(tmp.path, 'keys');
  expect((await runCli(['keys', 'generate', '--out', keys])).code).toBe(0);
  key = join(keys, 'mlbuild.key');
  model = join(tmp.path, 'model');
  await mkdir(model);
  await writeFile(join(model, 'README.md'), '---\nlicense: mit\n---\n');
  await writeFile(join(model, 'model.safetensors'), safetensors());
});
afterAll(async () => {
  await tmp?.cleanup();
});

const errorLines = (r: RunResult) => r.stderr.trim().split('\n').filter((l) => l.startsWith('mlbuild:'));
const jsonError = (r: RunResult) => (JSON.parse(r.stdout) as { ok: boolean; error: { code: string; exitCode: number } });

/** Expects exit `code`, exactly one error line on stderr and no stack trace. */
function expectOneLine(r: RunResult, code: number, what: string): void {
  expect(r.code, `${what}: ${r.stderr}`).toBe(code);
  expect(errorLines(r), what).toHaveLength(1);
  expect(r.stderr, what).not.toMatch(/\n\s+at /);
}

describe('--json on failure', () => {
  it('prints {ok: false, error} on stdout for an unknown command, an unknown flag, a missing value and no command', async () => {
    for (const args of [['--json', 'frobnicate'], ['frobnicate', '--json'], ['--json', 'sbom', '--frob', 'x'], ['sbom', 'x', '--json', '-o'], ['--json'], ['--json', 'attest']]) {
      const r = await runCli(args);
      expectOneLine(r, 2, args.join(' '));
      expect(jsonError(r), args.join(' ')).toMatchObject({ ok: false, error: { code: 'USAGE', exitCode: 2 } });
    }
  });

  it('sbom -o FILE --json writes the SBOM to FILE and a summary to stdout', async () => {
    const archive = join(tmp.path, 'img.tar');
    await writeDockerArchive(archive, [{ tar: makeTar([{ name: 'app/main.py', content: 'print(1)\n' }]) }]);
    const output = join(tmp.path, 'sbom.json');
    const r = await runCli(['sbom', `docker-archive:${archive}`, '-o', output, '--json', '--no-cache']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, output, files: 1 });
    expect(JSON.parse(await readFile(output, 'utf8'))).toMatchObject({ bomFormat: 'CycloneDX' });
  });

  it('sbom --platform of another platform than the image is exit 2 naming both, never the wrong SBOM', async () => {
    const archive = join(tmp.path, 'amd64.tar');
    await writeDockerArchive(archive, [{ tar: makeTar([{ name: 'a', content: 'a' }]) }]);
    const r = await runCli(['sbom', `docker-archive:${archive}`, '--platform', 'linux/arm64', '--no-cache']);
    expectOneLine(r, 2, 'platform');
    expect(errorLines(r)[0]).toContain('linux/arm64');
    expect(errorLines(r)[0]).toContain('linux/amd64');
    expect(r.stdout).toBe('');
  });
});

describe('keys generate --out', () => {
  it('an existing file is a usage error (exit 2), never exit 70', async () => {
    const file = join(tmp.path, 'a-file');
    await writeFile(file, 'x');
    const r = await runCli(['--json', 'keys', 'generate', '--out', file]);
    expectOneLine(r, 2, 'existing file');
    expect(jsonError(r).error.code).toBe('USAGE');
  });

  it('/proc/x answers at once with exit 2 instead of spinning', async () => {
    const started = Date.now();
    const r = await runCli(['keys', 'generate', '--out', '/proc/mlbuild-test/x'], { timeoutMs: 20_000 });
    expectOneLine(r, 2, '/proc');
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe('attestation store faults', () => {
  const attest = (store: string) => runCli(['attest', 'model', `dir:${model}`, '--key', key, '--store', store]);

  it('a store path that is a file or a symlink loop is a usage error (exit 2) naming it', async () => {
    const file = join(tmp.path, 'store-file');
    await writeFile(file, 'x');
    const loop = join(tmp.path, 'loop-a');
    await symlink(join(tmp.path, 'loop-b'), loop);
    await symlink(loop, join(tmp.path, 'loop-b'));
    for (const store of [file, loop]) {
      const r = await attest(store);
      expectOneLine(r, 2, store);
      expect(errorLines(r)[0]).toContain(store);
      expect(r.stderr, 'fails before hashing and signing').not.toContain('signing');
      const list = await runCli(['attest', 'list', '--store', store]);
      expectOneLine(list, 2, `list ${store}`);
    }
  });

  it('a read-only store folder is an environment error (exit 3)', async () => {
    const shared = join(tmp.path, 'shared');
    await mkdir(shared);
    const ro = join(shared, 'ro-store');
    await mkdir(ro);
    await chmod(ro, 0o555);
    let r: RunResult;
    if (process.getuid?.() === 0) {
      // root ignores modes: run as nobody, with a key and model it can read.
      for (const d of [tmp.path, shared]) await chmod(d, 0o755);
      const k = join(shared, 'k.key');
      await copyFile(key, k);
      await chmod(k, 0o644);
      r = await run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, cliPath, 'attest', 'model', `dir:${model}`, '--key', k, '--store', ro], {
        cwd: repoRoot,
        env: { HOME: shared },
      });
    } else {
      r = await attest(ro);
    }
    expectOneLine(r, 3, 'read-only');
    expect(errorLines(r)[0]).toContain(ro);
  });
});

describe('attest list', () => {
  it('lists the good entries and warns about a corrupt one (exit 0)', async () => {
    const store = join(tmp.path, 'store-list');
    expect((await attest2(store, 'one')).code).toBe(0);
    expect((await attest2(store, 'two')).code).toBe(0);
    const [bad] = await readdir(join(store, 'bundles'));
    await writeFile(join(store, 'bundles', bad), '{"not": "a bundle"}');
    await writeFile(join(store, 'index.json'), '{}'); // no cache to hide the damage
    const r = await runCli(['attest', 'list', '--store', store, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout) as { entries: unknown[]; problems: Array<{ message: string }> };
    expect(body.entries).toHaveLength(1);
    expect(body.problems).toHaveLength(1);
    expect(body.problems[0].message).toContain(bad);
    expect(r.stderr).toContain(bad);
  });

  it('a --store that does not exist is exit 2 naming it, not "0 attestations"', async () => {
    const missing = join(tmp.path, 'no-such-store');
    const r = await runCli(['attest', 'list', '--store', missing]);
    expectOneLine(r, 2, 'missing store');
    expect(errorLines(r)[0]).toContain(missing);
  });
});

/** Attests a one-file model named `name` into `store`. */
async function attest2(store: string, name: string): Promise<RunResult> {
  const dir = join(tmp.path, `m-${name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.safetensors'), safetensors({ w: { shape: [1], values: [name.charCodeAt(0)] } }));
  return runCli(['attest', 'model', `dir:${dir}`, '--key', key, '--store', store]);
}
