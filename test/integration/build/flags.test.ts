// `mlbuild build` as a drop-in `docker build`: each flag of the table run through both, with BuildKit and the
// classic builder, comparing exit codes, the resulting image (ID, config, tags), -q output and --iidfile; then the
// failures: a failing RUN, a Dockerfile syntax error, --pull without a registry, an unknown flag, no engine.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../../src/attest/index.js';
import { BASE_IMAGES, docker, removeImage, useTempDir, type RunResult } from '../../helpers/index.js';
import { dockerBuild, hasImage, inspectImage, lines, localRepo, mlbuildBuild, writeFiles, type ImageSummary } from './setup.js';

const tmp = useTempDir('build-flags');
const made: string[] = [];
let env: NodeJS.ProcessEnv;
let pub: string;
let ctx: string;

const FROM = `FROM ${BASE_IMAGES.busybox}`;

/** The outcome of one tool's build: its run and (on success) the image its first -t tag names. */
interface Outcome {
  run: RunResult;
  image?: ImageSummary;
}

/** Keeps only the tags of REPO (a keeper tag holds docker's image while mlbuild rebuilds it). */
function own(s: ImageSummary | undefined, repo: string): ImageSummary | undefined {
  return s && { ...s, tags: s.tags.filter((t) => t.startsWith(`${repo}:`)) };
}

/**
 * Builds CONTEXT with `docker build TAGS ARGS` and then `mlbuild build TAGS ARGS MLBUILD`, with the same tags: after
 * docker's build its image is given a keeper tag (so the build cache stays) and its own tags are removed.
 */
async function compare(args: string[], opts: { context?: string; tags?: number; buildkit?: '0' | '1'; mlbuild?: string[] } = {}): Promise<{ repo: string; docker: Outcome; mlbuild: Outcome }> {
  const repo = localRepo('flags');
  const tags = Array.from({ length: opts.tags ?? 1 }, (_, i) => `${repo}:t${i}`);
  made.push(...tags, `${repo}-keep:latest`);
  const tagArgs = tags.flatMap((t) => ['-t', t]);
  const e = { ...env, DOCKER_BUILDKIT: opts.buildkit ?? '1' };
  const context = opts.context ?? ctx;
  const d = await dockerBuild([...tagArgs, ...args, context], e);
  const dImage = own(await inspectImage(tags[0]), repo);
  if (dImage) {
    await docker(['tag', dImage.id, `${repo}-keep:latest`], { check: true });
    await docker(['image', 'rm', ...tags], { check: true });
  }
  const m = await mlbuildBuild([...tagArgs, ...args, ...(opts.mlbuild ?? ['--allow-unattested']), context], e);
  return { repo, docker: { run: d, image: dImage }, mlbuild: { run: m, image: own(await inspectImage(tags[0]), repo) } };
}

beforeAll(async () => {
  env = { MLBUILD_STORE: join(tmp.path, 'store'), MLBUILD_CACHE_DIR: join(tmp.path, 'cache') };
  pub = join(tmp.path, 'trusted.pub');
  await writeFile(pub, generateKeyPair().publicKeyPem);
  ctx = await writeFiles(join(tmp.path, 'ctx'), {
    Dockerfile: [FROM, 'ARG GREETING=default', 'ENV GREETING=${GREETING} MODE=test', 'WORKDIR /srv/app', 'COPY hello.txt .', 'RUN cat hello.txt > /copied.txt', 'CMD ["sh", "-c", "cat /copied.txt"]', ''].join('\n'),
    'hello.txt': 'hello\n',
  });
});

afterAll(async () => {
  await removeImage(...made);
});

for (const buildkit of ['1', '0'] as const) {
  describe(`DOCKER_BUILDKIT=${buildkit}: the same image as docker build`, () => {
    it('-t (repeated), --label, --build-arg, --network host: same exit code, image, config and tags', async () => {
      const r = await compare(['--label', 'org.example.team=ml', '--label', 'stage=test', '--build-arg', 'GREETING=hi there', '--network', 'host'], { tags: 2, buildkit, mlbuild: ['--trust-key', pub] });
      expect(r.docker.run.code, r.docker.run.stderr).toBe(0);
      expect(r.mlbuild.run.code, r.mlbuild.run.stderr).toBe(0);
      expect(r.docker.image).toMatchObject({ labels: { 'org.example.team': 'ml', stage: 'test' }, workingDir: '/srv/app', cmd: ['sh', '-c', 'cat /copied.txt'] });
      expect(r.docker.image?.env).toContain('GREETING=hi there');
      expect(r.docker.image?.tags).toEqual([`${r.repo}:t0`, `${r.repo}:t1`]);
      expect(r.mlbuild.image).toEqual(r.docker.image);
    });

    it('-f (a Dockerfile outside the context) and --target (multi-stage)', async () => {
      const file = join(tmp.path, `elsewhere-${buildkit}`, 'Build.dockerfile');
      await writeFiles(join(tmp.path, `elsewhere-${buildkit}`), {
        'Build.dockerfile': [`${FROM} AS base`, 'LABEL stage=base', 'RUN echo base > /base.txt', 'FROM base AS app', 'LABEL stage=app', 'CMD ["cat", "/base.txt"]', 'FROM app AS extra', 'LABEL stage=extra', ''].join('\n'),
      });
      const r = await compare(['-f', file, '--target', 'app', '--network', 'host'], { buildkit });
      expect(r.docker.run.code, r.docker.run.stderr).toBe(0);
      expect(r.mlbuild.run.code, r.mlbuild.run.stderr).toBe(0);
      expect(r.docker.image?.labels).toEqual({ stage: 'app' });
      expect(r.mlbuild.image).toEqual(r.docker.image);
    });

    it('-q prints the image ID on stdout like docker, and --iidfile holds the image ID', async () => {
      const dIid = join(tmp.path, `docker-${buildkit}.iid`);
      const mIid = join(tmp.path, `mlbuild-${buildkit}.iid`);
      const repo = localRepo('quiet');
      made.push(`${repo}:d`, `${repo}:m`);
      const e = { ...env, DOCKER_BUILDKIT: buildkit };
      const d = await dockerBuild(['-q', '--iidfile', dIid, '-t', `${repo}:d`, '--network', 'host', ctx], e);
      const m = await mlbuildBuild(['-q', '--iidfile', mIid, '-t', `${repo}:m`, '--network', 'host', '--allow-unattested', ctx], e);
      expect([d.code, m.code]).toEqual([0, 0]);
      const dId = (await inspectImage(`${repo}:d`))?.id;
      const mId = (await inspectImage(`${repo}:m`))?.id;
      expect(lines(d.stdout)).toEqual([dId]);
      expect(lines(m.stdout)).toEqual([mId]);
      expect((await readFile(dIid, 'utf8')).trim()).toBe(dId);
      expect(await readFile(mIid, 'utf8')).toBe(await readFile(dIid, 'utf8')); // byte for byte what docker writes
      expect(mId).toBe(dId); // the same build, served from the cache
    });

    it('--no-cache rebuilds every step in both', async () => {
      const c = await writeFiles(join(tmp.path, `nocache-${buildkit}`), { Dockerfile: `${FROM}\nRUN cat /proc/sys/kernel/random/uuid > /id\n` });
      const prime = localRepo('prime');
      made.push(`${prime}:1`);
      expect((await dockerBuild(['-q', '-t', `${prime}:1`, '--network', 'host', c], { DOCKER_BUILDKIT: buildkit })).code).toBe(0);
      const primed = (await inspectImage(`${prime}:1`))?.id;
      const r = await compare(['--no-cache', '--network', 'host'], { context: c, buildkit });
      expect([r.docker.run.code, r.mlbuild.run.code]).toEqual([0, 0]);
      const ids = new Set([primed, r.docker.image?.id, r.mlbuild.image?.id]);
      expect(ids.size).toBe(3); // three different /id files: nothing came from the cache
    });

    it('--platform linux/amd64 and --cache-from', async () => {
      const repo = localRepo('cachefrom');
      made.push(`${repo}:src`);
      expect((await dockerBuild(['-q', '-t', `${repo}:src`, '--network', 'host', ctx], { DOCKER_BUILDKIT: buildkit })).code).toBe(0);
      const r = await compare(['--platform', 'linux/amd64', '--cache-from', `${repo}:src`, '--network', 'host'], { buildkit });
      expect([r.docker.run.code, r.mlbuild.run.code]).toEqual([0, 0]);
      expect(r.docker.image?.architecture).toBe('amd64');
      expect(r.mlbuild.image).toEqual(r.docker.image);
    });

    it("a failing RUN exits with docker's code and leaves no tag", async () => {
      const c = await writeFiles(join(tmp.path, `fail-${buildkit}`), { Dockerfile: `${FROM}\nRUN echo about to fail && exit 3\n` });
      const r = await compare(['--network', 'host'], { context: c, buildkit });
      expect(r.docker.run.code).not.toBe(0);
      expect(r.docker.run.code).toBe(buildkit === '0' ? 3 : 1); // the classic builder passes the step's code on
      expect(r.mlbuild.run.code).toBe(r.docker.run.code);
      expect(r.docker.image).toBeUndefined();
      expect(r.mlbuild.image).toBeUndefined();
    });

    it("a Dockerfile syntax error: docker's message passed through, docker's exit code", async () => {
      const c = await writeFiles(join(tmp.path, `syntax-${buildkit}`), { Dockerfile: `${FROM}\nFROBNICATE /x\n` });
      const r = await compare(['--network', 'host'], { context: c, buildkit });
      expect(r.docker.run.code).not.toBe(0);
      expect(r.mlbuild.run.code).toBe(r.docker.run.code);
      const message = lines(r.docker.run.stderr).find((l) => /unknown instruction: FROBNICATE/i.test(l));
      expect(message, r.docker.run.stderr).toBeDefined();
      expect(r.mlbuild.run.stderr).toContain(message);
      expect(r.mlbuild.image).toBeUndefined();
    });

    it("--pull without a reachable registry: docker's own failure, reproduced", async () => {
      const r = await compare(['--pull', '--network', 'host'], { buildkit });
      expect(r.docker.run.code).not.toBe(0);
      expect(r.mlbuild.run.code).toBe(r.docker.run.code);
      expect(r.mlbuild.run.stderr).toContain(lines(r.docker.run.stderr).at(-1));
      expect(r.mlbuild.image).toBeUndefined();
    });
  });
}

describe('BuildKit only', () => {
  it('--progress plain: BuildKit progress on stderr from both', async () => {
    const r = await compare(['--progress', 'plain', '--no-cache', '--network', 'host']);
    expect([r.docker.run.code, r.mlbuild.run.code]).toEqual([0, 0]);
    const steps = (s: string) => lines(s).filter((l) => /^#\d+ DONE/.test(l)).length;
    expect(steps(r.docker.run.stderr)).toBeGreaterThan(0);
    expect(steps(r.mlbuild.run.stderr)).toBe(steps(r.docker.run.stderr));
    expect(r.mlbuild.image?.labels).toEqual(r.docker.image?.labels);
  });

  it('--secret reaches RUN --mount=type=secret; without it the same step fails in both', async () => {
    const c = await writeFiles(join(tmp.path, 'secret'), {
      Dockerfile: `${FROM}\nRUN --mount=type=secret,id=tok test "$(cat /run/secrets/tok)" = s3cret && echo ok > /secret-ok\n`,
    });
    const tok = join(tmp.path, 'tok.txt');
    await writeFile(tok, 's3cret');
    const ok = await compare(['--secret', `id=tok,src=${tok}`, '--no-cache', '--network', 'host'], { context: c });
    expect([ok.docker.run.code, ok.mlbuild.run.code]).toEqual([0, 0]);
    expect(ok.mlbuild.image).toBeDefined();
    const without = await compare(['--no-cache', '--network', 'host'], { context: c });
    expect(without.docker.run.code).not.toBe(0);
    expect(without.mlbuild.run.code).toBe(without.docker.run.code);
    expect(without.mlbuild.image).toBeUndefined();
  });
});

describe('usage and environment errors', () => {
  it('an unknown flag is a usage error (exit 2) before anything runs', async () => {
    const r = await mlbuildBuild(['--no-such-flag', '--allow-unattested', ctx], env);
    expect(r.code).toBe(2);
  });

  it('--json keeps stdout for the report, even with the classic builder (which prints its steps on stdout)', async () => {
    const repo = localRepo('json');
    made.push(`${repo}:1`);
    const r = await mlbuildBuild(['--json', '-t', `${repo}:1`, '--allow-unattested', '--network', 'host', ctx], { ...env, DOCKER_BUILDKIT: '0' });
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout) as { status: string; imageId: string };
    expect(rep).toMatchObject({ status: 'ok', imageId: (await inspectImage(`${repo}:1`))?.id });
  });

  it('an unreachable engine (DOCKER_HOST) exits 3 with a one-line error, no stack trace', async () => {
    const repo = localRepo('nohost');
    const r = await mlbuildBuild(['-t', `${repo}:1`, '--allow-unattested', '--network', 'host', ctx], { ...env, DOCKER_HOST: 'unix:///nonexistent.sock' });
    expect(r.code).toBe(3);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await hasImage(`${repo}:1`)).toBe(false);
    const h = await mlbuildBuild(['-H', 'unix:///nonexistent.sock', '-t', `${repo}:1`, '--allow-unattested', '--network', 'host', ctx], env);
    expect(h.code).toBe(3);
  });
});
