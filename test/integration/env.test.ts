// Proves the real-parts test environment (scripts/setup-env.sh): engine, registries, base images, git over HTTP.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUTH_REGISTRY,
  BASE_IMAGES,
  REGISTRY,
  basicAuthHeader,
  buildImage,
  docker,
  fetchManifest,
  gguf,
  hfModelFiles,
  makeModelRepo,
  pushImage,
  registryLogin,
  removeImage,
  run,
  runInImage,
  safetensors,
  saveImage,
  startGitServer,
  uniqueRepo,
  useTempDir,
  withTempDir,
  type GitServer,
} from '../helpers/index.js';

describe('test environment', () => {
  const tmp = useTempDir('env');
  let gitServer: GitServer;
  let model: { dir: string; commit: string };

  beforeAll(async () => {
    model = await makeModelRepo(join(tmp.path, 'git'), 'org/tiny-model', hfModelFiles());
    gitServer = await startGitServer(join(tmp.path, 'git'));
  });
  afterAll(async () => {
    await gitServer?.close();
  });

  it('has a Docker engine with BuildKit (20.10 client)', async () => {
    const r = await docker(['info', '--format', '{{.ServerVersion}}'], { check: true });
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+/);
  });

  it('has the base images, with a working shell', async () => {
    const bb = await runInImage(BASE_IMAGES.busybox, ['sh', '-c', 'ls /bin/cat && cat /etc/passwd | head -1 && which wget']);
    expect(bb.code, bb.stderr).toBe(0);
    expect(bb.stdout).toContain('root:x:0:0');
    const deb = await runInImage(BASE_IMAGES.debian, ['sh', '-c', 'git --version && python3 --version']);
    expect(deb.code, deb.stderr).toBe(0);
    expect(deb.stdout).toMatch(/git version 2\.\d+/);
  });

  it('answers /v2/ on the anonymous registry', async () => {
    const res = await fetch(`http://${REGISTRY}/v2/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
  });

  it('asks for basic auth on the auth registry and accepts the test credentials', async () => {
    const anon = await fetch(`http://${AUTH_REGISTRY}/v2/`);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const authed = await fetch(`http://${AUTH_REGISTRY}/v2/`, { headers: { Authorization: basicAuthHeader() } });
    expect(authed.status).toBe(200);
    const wrong = await fetch(`http://${AUTH_REGISTRY}/v2/`, { headers: { Authorization: basicAuthHeader('mlbuild', 'nope') } });
    expect(wrong.status).toBe(401);
  });

  it('pushes the busybox image to 127.0.0.1:5000 over plain HTTP', async () => {
    const repo = uniqueRepo('env-push');
    const pushed = await pushImage(BASE_IMAGES.busybox, `${REGISTRY}/${repo}:v1`);
    const m = await fetchManifest(REGISTRY, repo, 'v1');
    expect(m.status).toBe(200);
    expect(m.digest).toBe(pushed.digest);
    expect(m.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    await removeImage(pushed.ref);
  });

  it('pushes to the auth registry after docker login into a private DOCKER_CONFIG', async () => {
    await withTempDir(async (dir) => {
      await registryLogin(dir);
      const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as { auths: Record<string, unknown> };
      expect(Object.keys(config.auths)).toContain(AUTH_REGISTRY);
      const repo = uniqueRepo('env-auth');
      const pushed = await pushImage(BASE_IMAGES.busybox, `${AUTH_REGISTRY}/${repo}:v1`, { dockerConfig: dir });
      expect((await fetchManifest(AUTH_REGISTRY, repo, pushed.digest)).status).toBe(401);
      expect((await fetchManifest(AUTH_REGISTRY, repo, pushed.digest, basicAuthHeader())).status).toBe(200);
      await removeImage(pushed.ref);
    }, 'dockercfg');
  });

  it('serves model repositories over git smart HTTP', async () => {
    const dest = join(tmp.path, 'clone');
    await run('git', ['clone', '-q', `${gitServer.url}/org/tiny-model`, dest], { check: true, env: { GIT_CONFIG_NOSYSTEM: '1' } });
    const head = await run('git', ['rev-parse', 'HEAD'], { cwd: dest, check: true });
    expect(head.stdout.trim()).toBe(model.commit);
    expect(await readFile(join(dest, 'model.safetensors'))).toEqual(safetensors());
    expect(gitServer.requests.some((r) => r.path.includes('git-upload-pack') && r.status === 200)).toBe(true);
  });

  it('makes reproducible commits', async () => {
    const again = await makeModelRepo(join(tmp.path, 'git2'), 'org/tiny-model', hfModelFiles());
    expect(again.commit).toBe(model.commit);
  });

  it('builds FROM the debian base, git-cloning from the test server with --network host', async () => {
    const ctx = join(tmp.path, 'ctx');
    await makeModelRepo(tmp.path, 'ctx', {
      Dockerfile: [
        `FROM ${BASE_IMAGES.debian}`,
        'ARG MODEL_URL',
        'RUN git clone --depth 1 "$MODEL_URL" /models/tiny-model && rm -rf /models/tiny-model/.git',
        'COPY model.gguf /models/extra/model.gguf',
        '',
      ].join('\n'),
      'model.gguf': gguf(),
    });
    const tag = `mlbuild-test/env-build:${Date.now()}`;
    const built = await buildImage(ctx, tag, {
      buildArgs: { MODEL_URL: `${gitServer.url}/org/tiny-model` },
      extraArgs: ['--no-cache'],
    });
    expect(built.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    const ls = await runInImage(tag, ['sh', '-c', 'cd /models && find . -type f | sort && head -c 4 extra/model.gguf']);
    expect(ls.stdout).toContain('./tiny-model/model.safetensors');
    expect(ls.stdout).toContain('./tiny-model/README.md');
    expect(ls.stdout).toContain('GGUF');
    const archive = join(tmp.path, 'image.tar');
    await saveImage(tag, archive);
    const listing = await run('tar', ['-tf', archive], { check: true });
    expect(listing.stdout).toContain('manifest.json');
    await removeImage(tag);
  });

  it('writes the env file for other tools', async () => {
    const file = process.env.MLBUILD_TEST_ENV_FILE ?? '/tmp/mlbuild-test-env.json';
    const env = JSON.parse(await readFile(file, 'utf8')) as { registry: string; authRegistry: string };
    expect([env.registry, env.authRegistry]).toEqual([REGISTRY, AUTH_REGISTRY]);
  });
});
