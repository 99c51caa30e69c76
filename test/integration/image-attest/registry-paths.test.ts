// verify image over the other registry paths: basic auth, the referrers API (answered by the fault proxy), a garbage
// fallback index, a 503 burst, an unreachable registry; and a policy evaluated over the verified SBOM.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fallbackTag } from '../../../src/registry/index.js';
import { FaultProxy } from '../../helpers/fault-proxy.js';
import { AUTH_REGISTRY, imageId, registryLogin, removeImage, REGISTRY, runCli, useTempDir } from '../../helpers/index.js';
import { attest, pushedImage, verify, writeKeys, type KeyFiles } from './setup.js';

const tmp = useTempDir('image-paths');
let keys: KeyFiles;
let proxy: FaultProxy;
let img: Awaited<ReturnType<typeof pushedImage>>;
let viaProxy: string;

beforeAll(async () => {
  keys = await writeKeys(tmp.path, 'k');
  proxy = await FaultProxy.start(`http://${REGISTRY}`);
  img = await pushedImage(tmp.path);
  const a = await attest(img.ref, keys, join(tmp.path, 'store'), ['--push']);
  if (a.code !== 0) throw new Error(`attest failed: ${a.stderr}`);
  viaProxy = img.ref.replace(REGISTRY, proxy.host);
});
afterAll(async () => {
  await proxy?.close();
});
beforeEach(() => proxy.reset());

describe('verify image through the fault proxy', () => {
  it('uses the referrers API when the registry answers it', async () => {
    proxy.referrersApi = { applyFilter: true };
    const r = await verify(viaProxy, [keys.pub]);
    expect(r.code).toBe(0);
    expect(r.json.digest).toBe(img.digest);
    expect(proxy.seen.some((s) => s.path.includes(`/referrers/${img.digest}`) && s.status === 200)).toBe(true);
    expect(proxy.seen.some((s) => s.path.includes(`/manifests/${fallbackTag(img.digest as `sha256:${string}`)}`))).toBe(false);
  });

  it('survives a 503 burst', async () => {
    proxy.add({ method: 'GET', path: '/manifests/', fault: { kind: 'status', status: 503 }, times: 2 });
    proxy.add({ method: 'GET', path: '/blobs/', fault: { kind: 'status', status: 503 }, times: 2 });
    const r = await verify(viaProxy, [keys.pub]);
    expect(r.code).toBe(0);
    expect(proxy.seen.filter((s) => s.status === 503).length).toBe(4);
  });

  it('reports a garbage index under the fallback tag as no attestation (exit 1)', async () => {
    proxy.add({ method: 'GET', path: `/manifests/${fallbackTag(img.digest as `sha256:${string}`)}`, fault: { kind: 'replace', body: '{"manifests": garbage' } });
    const r = await verify(viaProxy, [keys.pub]);
    expect(r.code).toBe(1);
    expect(r.json.findings.map((f) => f.kind)).toEqual(['no-attestation']);
    expect(r.stderr).toMatch(/unreadable content/);
    expect(r.stderr).not.toMatch(/replaced/); // verify only reads
  });

  it('flags a bundle blob whose bytes do not match its digest', async () => {
    proxy.add({ method: 'GET', path: '/blobs/', fault: { kind: 'corrupt' } });
    const r = await verify(viaProxy, [keys.pub]);
    expect(r.code).toBe(1);
    expect(r.json.findings.map((f) => f.kind).sort()).toEqual(['no-attestation', 'referrer-unreadable']);
  });

  it('exits 3 when the registry keeps failing or is unreachable', async () => {
    proxy.add({ path: '/v2/', fault: { kind: 'status', status: 503 } });
    expect((await runCli(['verify', 'image', viaProxy, '--key', keys.pub])).code).toBe(3);
    expect((await runCli(['verify', 'image', '127.0.0.1:1/test/none:1', '--key', keys.pub])).code).toBe(3);
  });
});

describe('basic-auth registry', () => {
  it('attests, verifies and pulls with the credentials of DOCKER_CONFIG', async () => {
    const dockerConfig = await registryLogin();
    const env = { DOCKER_CONFIG: dockerConfig };
    const auth = await pushedImage(tmp.path, { registry: AUTH_REGISTRY, dockerConfig });
    expect((await attest(auth.ref, keys, join(tmp.path, 'store'), ['--push'], env)).code).toBe(0);
    expect((await verify(auth.ref, [keys.pub], [], env)).code).toBe(0);
    expect((await runCli(['verify', 'image', auth.ref, '--key', keys.pub], { env: { DOCKER_CONFIG: join(tmp.path, 'no-config') } })).code).toBe(3);
    await removeImage(auth.ref, auth.imageId);
    const pulled = await runCli(['--json', 'pull', auth.ref, '--key', keys.pub], { env });
    expect(pulled.code).toBe(0);
    expect(await imageId(auth.ref)).toBe(auth.imageId);
  });
});

describe('verify image --policy', () => {
  it('evaluates CEL rules over the image and the verified SBOM; bad policy files are exit 2', async () => {
    const pass = join(tmp.path, 'pass.yaml');
    await writeFile(pass, `version: 1\nsigners:\n  - key: ${keys.pub}\nrules:\n  - name: pinned\n    expr: image.digest == "${img.digest}" && sbom.bomFormat == "CycloneDX"\n`);
    const ok = await verify(img.ref, [], ['--policy', pass]);
    expect(ok.code).toBe(0);
    const fail = join(tmp.path, 'fail.yaml');
    await writeFile(fail, `version: 1\nsigners:\n  - key: ${keys.pub}\nrules:\n  - name: other\n    expr: image.digest == "sha256:0"\n`);
    const denied = await verify(img.ref, [], ['--policy', fail]);
    expect(denied.code).toBe(1);
    expect(denied.json.findings).toEqual([expect.objectContaining({ kind: 'rule-failed', rule: 'other', fatal: true })]);
    const broken = join(tmp.path, 'broken.yaml');
    await writeFile(broken, 'version: 1\nsignerz: []\n');
    expect((await runCli(['verify', 'image', img.ref, '--policy', broken])).code).toBe(2);
  });
});
