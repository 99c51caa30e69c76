// Real clients through a real gate in front of the real registry: docker pull (accepted; denied with the reason in
// its stderr), exactly the verified bytes served, a tag re-pointed upstream to an unattested image denied at once,
// skopeo copy, containerd's ctr pull, podman pull, and mlbuild verify image and pull through the gate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../../src/registry/index.js';
import { AUTH_PASSWORD, AUTH_REGISTRY, AUTH_USER, docker, fetchManifest, pushImage, registryLogin, removeImage, run, runCli, runCliJson, useTempDir } from '../../helpers/index.js';
import { attestedImage, getManifest, nameOf, pushedImage, startTestGate, writeKeys, type KeyFiles, type TestGate } from './setup.js';

const tmp = useTempDir('gate-pull');
let keys: KeyFiles;
let gate: TestGate;
const pulled: string[] = [];

beforeAll(async () => {
  keys = await writeKeys(tmp.path, 'release');
  gate = await startTestGate([keys.pub]);
});

afterAll(async () => {
  await gate?.close();
  await removeImage(...pulled);
});

describe('mlbuild gate with real clients', () => {
  it('serves an attested image to docker pull, with exactly the bytes the registry holds', async () => {
    const img = await attestedImage(tmp.path, keys);
    const name = nameOf(img.repository);
    const through = `${gate.host}/${name}:1`;
    pulled.push(through);
    const r = await docker(['pull', through]);
    expect(r.code, r.stderr).toBe(0);
    const direct = await fetchManifest('127.0.0.1:5000', name, img.digest);
    const viaGate = await getManifest(gate.host, name, '1');
    expect(viaGate.status).toBe(200);
    expect(viaGate.headers.get('docker-content-digest')).toBe(img.digest);
    expect(viaGate.body.toString()).toBe(direct.body);
    expect(gate.audits.some((a) => a.digest === img.digest && a.result === 'allow')).toBe(true);
  });

  it('denies an unattested image with 403 DENIED, and docker pull shows the reason', async () => {
    const img = await pushedImage(tmp.path);
    const name = nameOf(img.repository);
    const res = await getManifest(gate.host, name, '1');
    expect(res.status).toBe(403);
    const body = JSON.parse(res.body.toString()) as { errors: { code: string; message: string; detail: { digest: string; findings: { kind: string }[] } }[] };
    expect(body.errors[0].code).toBe('DENIED');
    expect(body.errors[0].detail.digest).toBe(img.digest);
    expect(body.errors[0].detail.findings[0].kind).toBe('no-attestation');
    const r = await docker(['pull', `${gate.host}/${name}:1`]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/denied/i);
    expect(r.stderr).toContain('no-attestation');
    const audit = gate.audits.find((a) => a.digest === img.digest && a.result === 'deny');
    expect(audit).toMatchObject({ repository: name, result: 'deny' });
  });

  it('denies at once a tag re-pointed upstream to an unattested image', async () => {
    const img = await attestedImage(tmp.path, keys);
    const name = nameOf(img.repository);
    expect((await getManifest(gate.host, name, '1')).status).toBe(200);
    const other = await pushedImage(tmp.path);
    const moved = await pushImage(other.ref, `${img.repository}:1`);
    expect(moved.digest).not.toBe(img.digest);
    const res = await getManifest(gate.host, name, '1');
    expect(res.status).toBe(403);
    expect(res.body.toString()).toContain(moved.digest);
    // The approved digest stays approved by digest.
    expect((await getManifest(gate.host, name, img.digest)).status).toBe(200);
  });

  it('lets skopeo copy an attested image and refuses an unattested one', async () => {
    const good = await attestedImage(tmp.path, keys);
    const bad = await pushedImage(tmp.path);
    const ok = await run('skopeo', ['copy', '--src-tls-verify=false', `docker://${gate.host}/${nameOf(good.repository)}:1`, `dir:${tmp.path}/skopeo-good`]);
    expect(ok.code, ok.stderr).toBe(0);
    const no = await run('skopeo', ['copy', '--src-tls-verify=false', `docker://${gate.host}/${nameOf(bad.repository)}:1`, `dir:${tmp.path}/skopeo-bad`]);
    expect(no.code).not.toBe(0);
    expect(no.stderr).toMatch(/denied/i);
  });

  it("lets containerd's ctr pull an attested image over plain HTTP and refuses an unattested one", async () => {
    const good = await attestedImage(tmp.path, keys);
    const bad = await pushedImage(tmp.path);
    const ctr = (ref: string) => run('ctr', ['--address', '/var/run/docker/containerd/containerd.sock', '--namespace', 'mlbuild-test', 'images', 'pull', '--plain-http', ref]);
    const goodRef = `${gate.host}/${nameOf(good.repository)}:1`;
    const ok = await ctr(goodRef);
    expect(ok.code, ok.stderr).toBe(0);
    await run('ctr', ['--address', '/var/run/docker/containerd/containerd.sock', '--namespace', 'mlbuild-test', 'images', 'rm', goodRef]);
    const no = await ctr(`${gate.host}/${nameOf(bad.repository)}:1`);
    expect(no.code).not.toBe(0);
    expect(`${no.stdout}${no.stderr}`).toMatch(/403|denied/i);
  });

  it('lets podman pull an attested image and refuses an unattested one with the reason', async () => {
    const good = await attestedImage(tmp.path, keys);
    const bad = await pushedImage(tmp.path);
    const podman = (ref: string) => run('podman', ['--root', `${tmp.path}/podman-root`, '--runroot', `${tmp.path}/podman-run`, '--storage-driver', 'vfs', 'pull', '--tls-verify=false', ref], { timeoutMs: 170_000 });
    const ok = await podman(`${gate.host}/${nameOf(good.repository)}:1`);
    expect(ok.code, ok.stderr).toBe(0);
    const no = await podman(`${gate.host}/${nameOf(bad.repository)}:1`);
    expect(no.code).not.toBe(0);
    expect(no.stderr).toContain('no-attestation');
  });

  it('lets mlbuild pull through the gate (verified, then pulled by digest)', async () => {
    const img = await attestedImage(tmp.path, keys);
    const ref = `${gate.host}/${nameOf(img.repository)}:1`;
    pulled.push(ref, `${gate.host}/${nameOf(img.repository)}@${img.digest}`);
    const r = await runCliJson<{ ok: boolean; digest: string }>(['pull', ref, '--key', keys.pub]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ ok: true, digest: img.digest });
  });

  it('reaches an authenticated upstream with its own credentials; clients need none', async () => {
    const dockerConfig = await registryLogin();
    const img = await pushedImage(tmp.path, { registry: AUTH_REGISTRY, dockerConfig });
    const a = await runCli(['attest', 'image', img.ref, '--key', keys.key, '--store', `${tmp.path}/store`, '--push'], { env: { DOCKER_CONFIG: dockerConfig } });
    expect(a.code, a.stderr).toBe(0);
    const authed = await startTestGate([keys.pub], AUTH_REGISTRY, {
      upstream: new RegistryClient({ credentials: async () => ({ kind: 'basic', username: AUTH_USER, password: AUTH_PASSWORD }) }),
    });
    try {
      const ref = `${authed.host}/${nameOf(img.repository)}:1`;
      pulled.push(ref);
      const r = await docker(['pull', ref]);
      expect(r.code, r.stderr).toBe(0);
    } finally {
      await authed.close();
    }
  });

  it('answers mlbuild verify image through the gate (referrers and bundles pass through)', async () => {
    const img = await attestedImage(tmp.path, keys);
    const r = await runCliJson<{ ok: boolean; digest: string }>(['verify', 'image', `${gate.host}/${nameOf(img.repository)}:1`, '--key', keys.pub]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ ok: true, digest: img.digest });
  });
});
