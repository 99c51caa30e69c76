// Fail closed: upstream faults (5xx bursts, slowness, truncation, wrong digests) injected by a proxy between the gate
// and the real registry never lead to a manifest being served; malformed client requests get 400 in the OCI format.
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FaultProxy } from '../../helpers/fault-proxy.js';
import { REGISTRY, useTempDir } from '../../helpers/index.js';
import { attestedImage, getManifest, nameOf, startTestGate, writeKeys, type KeyFiles, type TestGate } from './setup.js';

const tmp = useTempDir('gate-faults');
let keys: KeyFiles;
let proxy: FaultProxy;
let gate: TestGate;
let img: Awaited<ReturnType<typeof attestedImage>>;
let name: string;

/** Sends raw bytes to the gate and returns the status line and body. */
function raw(host: string, text: string): Promise<{ status: number; body: string }> {
  const [h, p] = host.split(':');
  return new Promise((resolve, reject) => {
    const s = connect(Number(p), h, () => s.write(text));
    let got = '';
    s.on('data', (d) => (got += d.toString()));
    s.on('error', reject);
    s.on('close', () => resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(got)?.[1] ?? 0), body: got.slice(got.indexOf('\r\n\r\n') + 4) }));
    setTimeout(() => s.end(), 1500);
  });
}

function errorCode(body: Buffer | string): string | undefined {
  try {
    return (JSON.parse(body.toString()) as { errors: { code: string }[] }).errors[0]?.code;
  } catch {
    return undefined;
  }
}

beforeAll(async () => {
  keys = await writeKeys(tmp.path, 'release');
  img = await attestedImage(tmp.path, keys);
  name = nameOf(img.repository);
  proxy = await FaultProxy.start(`http://${REGISTRY}`);
  // No caching of denials, so every request below meets the faults afresh.
  gate = await startTestGate([keys.pub], proxy.host, { ttlMs: 0, denyTtlMs: 0, decisionTimeoutMs: 8000 });
});

beforeEach(() => proxy.reset());

afterAll(async () => {
  await gate?.close();
  await proxy?.close();
});

describe('gate fails closed on upstream faults', () => {
  it('serves the image when the upstream is healthy', async () => {
    expect((await getManifest(gate.host, name, '1')).status).toBe(200);
  });

  it.each([
    ['a burst of 503s on the manifest', { method: 'GET', path: `/manifests/1`, fault: { kind: 'status' as const, status: 503 } }],
    ['a 500 on the referrers lookup', { method: 'GET', path: '/manifests/sha256-', fault: { kind: 'status' as const, status: 500 } }],
    ['a truncated manifest', { method: 'GET', path: `/manifests/1`, fault: { kind: 'truncate' as const } }],
    ['a corrupted manifest (wrong digest)', { method: 'GET', path: `/manifests/1`, fault: { kind: 'corrupt' as const } }],
    ['a corrupted bundle blob', { method: 'GET', path: '/blobs/', fault: { kind: 'corrupt' as const } }],
    ['an over-size manifest', { method: 'GET', path: `/manifests/1`, fault: { kind: 'replace' as const, body: Buffer.alloc(5 * 1024 * 1024, 0x20), contentType: 'application/vnd.oci.image.manifest.v1+json' } }],
    ['a slow upstream', { method: 'GET', path: `/manifests/1`, fault: { kind: 'delay' as const, ms: 4000 } }],
  ])('never serves the manifest on %s', async (_what, rule) => {
    proxy.add(rule);
    const r = await getManifest(gate.host, name, '1');
    expect(r.status).not.toBe(200);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(errorCode(r.body)).toBeDefined();
    expect(r.body.toString()).not.toContain('"layers"');
  });

  it('aborts a blob whose bytes do not match its digest', async () => {
    const m = JSON.parse((await getManifest(REGISTRY, name, img.digest)).body.toString()) as { layers: { digest: string }[] };
    proxy.add({ method: 'GET', path: '/blobs/', fault: { kind: 'corrupt' } });
    const res = await fetch(`http://${gate.host}/v2/${name}/blobs/${m.layers[0].digest}`);
    await expect(res.arrayBuffer()).rejects.toThrow();
  });
});

describe('gate refuses malformed requests', () => {
  it.each([
    ['/v2/Bad_Name/manifests/1', 'NAME_INVALID'],
    ['/v2/a/../b/manifests/1', 'NAME_INVALID'],
    ['/v2/a/%2e%2e/b/manifests/1', 'NAME_INVALID'],
    ['/v2/a//b/manifests/1', 'NAME_INVALID'],
    ['/v2/a/manifests/sha256:zz', 'DIGEST_INVALID'],
    ['/v2/a/blobs/md5:abc', 'DIGEST_INVALID'],
  ])('%s → 400 %s', async (path, code) => {
    const r = await raw(gate.host, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(r.status).toBe(400);
    expect(errorCode(r.body)).toBe(code);
  });

  it('answers over-size headers with a 400 OCI error', async () => {
    const r = await raw(gate.host, `GET /v2/ HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\nConnection: close\r\n\r\n`);
    expect(r.status).toBe(400);
    expect(errorCode(r.body)).toBeDefined();
  });

  it('is read-only: a manifest PUT and an upload get 405 DENIED', async () => {
    const put = await fetch(`http://${gate.host}/v2/${name}/manifests/2`, { method: 'PUT', body: '{}', headers: { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' } });
    expect(put.status).toBe(405);
    expect(errorCode(Buffer.from(await put.arrayBuffer()))).toBe('DENIED');
    const post = await fetch(`http://${gate.host}/v2/${name}/blobs/uploads/`, { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('answers /v2/ with the API version header, and /healthz and /metrics', async () => {
    const base = await fetch(`http://${gate.host}/v2/`);
    expect(base.status).toBe(200);
    expect(base.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    expect((await fetch(`http://${gate.host}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`http://${gate.host}/metrics`)).text();
    expect(metrics).toMatch(/mlbuild_gate_decisions_total\{result="allow"\} \d+/);
    expect(metrics).toMatch(/mlbuild_gate_cache_misses_total \d+/);
    expect(metrics).toMatch(/mlbuild_gate_upstream_seconds_count \d+/);
  });
});
