// The inputs of `mlbuild build` are checked before anything is built: each bad one is an exit-2 error naming it.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MlbuildError } from '../../../src/core/index.js';
import { parseBuildArgs } from '../../../src/docker/build-flags.js';
import { checkBuildInputs } from '../../../src/pipeline/build-inputs.js';
import { makeTempDir, type TempDir } from '../../helpers/index.js';

let tmp: TempDir;
let ctx: string;

beforeAll(async () => {
  tmp = await makeTempDir('build-inputs');
  ctx = join(tmp.path, 'ctx');
  await mkdir(ctx);
  await writeFile(join(tmp.path, 'file'), 'x');
});
afterAll(async () => tmp?.cleanup());

/** The error checkBuildInputs throws for ARGV (undefined when it accepts them). */
function problem(argv: string[], opts: { push?: boolean; sbomOut?: string } = {}): MlbuildError | undefined {
  try {
    checkBuildInputs(parseBuildArgs(argv), { push: opts.push ?? false, sbomOut: opts.sbomOut });
    return undefined;
  } catch (err) {
    if (err instanceof MlbuildError) return err;
    throw err;
  }
}

describe('build inputs', () => {
  it('accepts a local folder, remote contexts and valid tags', () => {
    for (const c of [ctx, '-', 'https://example.com/repo.git', 'git@example.com:org/repo.git', 'github.com/org/repo']) expect(problem([c]), c).toBeUndefined();
    expect(problem(['-t', 'reg.example:5000/ns/app:1.0', '-t', 'app', ctx])).toBeUndefined();
    expect(problem(['-t', 'app:1', ctx], { push: true, sbomOut: join(tmp.path, 'bom.json') })).toBeUndefined();
  });

  it('a missing context folder or a file as context: exit 2 naming it', () => {
    for (const c of [join(tmp.path, 'missing'), join(tmp.path, 'file')]) {
      const e = problem([c]);
      expect(e?.exitCode, c).toBe(2);
      expect(e?.message).toContain(c);
    }
  });

  it('invalid -t references: exit 2 naming the tag', () => {
    for (const t of ['Upper/Case:1', 'app:bad tag', 'app:-x', 'app@sha256:' + 'a'.repeat(64), 'a//b']) {
      const e = problem(['-t', t, ctx]);
      expect(e?.exitCode, t).toBe(2);
      expect(e?.message).toContain(JSON.stringify(t));
    }
  });

  it('--push without -t, and an --sbom-out that cannot be written: exit 2', () => {
    expect(problem([ctx], { push: true })?.exitCode).toBe(2);
    for (const out of [join(tmp.path, 'missing', 'bom.json'), join(tmp.path, 'file', 'bom.json'), tmp.path]) {
      const e = problem([ctx], { sbomOut: out });
      expect(e?.exitCode, out).toBe(2);
      expect(e?.message).toContain(out);
    }
  });

  it('-v and --verbose are mlbuild flags; -q goes to docker and marks the build quiet', () => {
    const p = parseBuildArgs(['-v', '-q', ctx]);
    expect(p.own.verbose).toBe(true);
    expect(p.dockerFlags).toEqual(['-q']);
    expect(p.docker.quiet).toBe(true);
  });
});
