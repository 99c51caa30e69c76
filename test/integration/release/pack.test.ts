// The CI templates install mlbuild from the tarball `npm pack` makes (it is not on the npm registry): that tarball,
// installed globally into a fresh prefix, must give a working `mlbuild`.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, repoRoot, run, type TempDir } from '../../helpers/index.js';

let tmp: TempDir;
beforeAll(async () => {
  tmp = await makeTempDir('pack');
});
afterAll(async () => {
  await tmp?.cleanup();
});

describe('release tarball', () => {
  it('npm pack, then npm install -g ./mlbuild-*.tgz into a temp prefix gives a working mlbuild --version', async () => {
    const npmEnv = { npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
    const pack = await run('npm', ['pack', '--pack-destination', tmp.path], { cwd: repoRoot, env: npmEnv, timeoutMs: 300_000 });
    expect(pack.code, pack.stderr).toBe(0);
    const [tgz] = (await readdir(tmp.path)).filter((n) => /^mlbuild-.*\.tgz$/.test(n));
    expect(tgz).toBeDefined();
    const prefix = join(tmp.path, 'prefix');
    // As the templates run it: a relative path to the tarball, from the folder that holds it.
    const install = await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', `./${tgz}`], { cwd: tmp.path, env: npmEnv, timeoutMs: 400_000 });
    expect(install.code, install.stderr).toBe(0);
    const bin = join(prefix, 'bin', 'mlbuild');
    const version = await run(bin, ['--version'], { cwd: tmp.path, env: { PATH: `${join(prefix, 'bin')}:${process.env.PATH}` } });
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout).toMatch(/^mlbuild \d+\.\d+\.\d+/);
    const help = await run(bin, ['sbom', '--help'], { cwd: tmp.path });
    expect(help.code, help.stderr).toBe(0);
  }, 900_000);
});
