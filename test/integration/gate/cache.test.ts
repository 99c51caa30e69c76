// The gate's decision cache against the real registry, with a proxy counting what reaches the upstream: a cached
// digest costs no upstream call, a tag exactly one, 100 concurrent pulls of a new digest one verification, denials
// expire after --deny-ttl, and --blobs verified serves only blobs of approved manifests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from '../../helpers/fault-proxy.js';
import { REGISTRY, useTempDir } from '../../helpers/index.js';
import { attest } from '../image-attest/setup.js';
import { attestedImage, getManifest, nameOf, pushedImage, startTestGate, writeKeys, type KeyFiles, type TestGate } from './setup.js';

const tmp = useTempDir('gate-cache');
let keys: KeyFiles;
let proxy: FaultProxy;
let gate: TestGate;
const DENY_TTL = 6000;

beforeAll(async () => {
  keys = await writeKeys(tmp.path, 'release');
  proxy = await FaultProxy.start(`http://${REGISTRY}`);
  gate = await startTestGate([keys.pub], proxy.host, { denyTtlMs: DENY_TTL, blobs: 'verified' });
});

afterAll(async () => {
  await gate?.close();
  await proxy?.close();
});

describe('gate decision cache', () => {
  it('answers a cached digest with no upstream call and a tag with exactly one', async () => {
    const img = await attestedImage(tmp.path, keys);
    const name = nameOf(img.repository);
    expect((await getManifest(gate.host, name, '1')).status).toBe(200);
    proxy.seen.length = 0;
    const byDigest = await getManifest(gate.host, name, img.digest);
    expect(byDigest.status).toBe(200);
    expect(proxy.seen).toHaveLength(0);
    const byTag = await getManifest(gate.host, name, '1');
    expect(byTag.status).toBe(200);
    expect(byTag.body.equals(byDigest.body)).toBe(true);
    expect(proxy.seen.map((s) => `${s.method} ${s.path}`)).toEqual([`GET /v2/${name}/manifests/1`]);
  });

  it('verifies a new digest once for 100 concurrent pulls', async () => {
    const img = await attestedImage(tmp.path, keys);
    const name = nameOf(img.repository);
    const misses = gate.server.context.metrics.cacheMisses;
    proxy.seen.length = 0;
    const all = await Promise.all(Array.from({ length: 100 }, () => getManifest(gate.host, name, img.digest)));
    expect(all.every((r) => r.status === 200)).toBe(true);
    expect(gate.server.context.metrics.cacheMisses - misses).toBe(1);
    // One manifest fetch, one referrers lookup (the fallback tag): the verification ran once.
    expect(proxy.seen.filter((s) => s.path === `/v2/${name}/manifests/${img.digest}`)).toHaveLength(1);
    expect(proxy.seen.filter((s) => s.path.includes('/manifests/sha256-'))).toHaveLength(1);
  });

  it('keeps a denial for --deny-ttl only, then sees the new attestation', async () => {
    const img = await pushedImage(tmp.path);
    const name = nameOf(img.repository);
    const denied = Date.now();
    expect((await getManifest(gate.host, name, '1')).status).toBe(403);
    const a = await attest(img.ref, keys, `${tmp.path}/store`, ['--push']);
    expect(a.code, a.stderr).toBe(0);
    // Still inside the negative TTL: the cached denial stands (checked only when the attest was quick enough).
    if (Date.now() - denied < DENY_TTL - 1000) expect((await getManifest(gate.host, name, '1')).status).toBe(403);
    await new Promise((r) => setTimeout(r, Math.max(0, DENY_TTL + 200 - (Date.now() - denied))));
    expect((await getManifest(gate.host, name, '1')).status).toBe(200);
  });

  it('with --blobs verified serves only blobs reachable from an approved manifest', async () => {
    const good = await attestedImage(tmp.path, keys);
    const bad = await pushedImage(tmp.path);
    const badManifest = JSON.parse((await getManifest(REGISTRY, nameOf(bad.repository), bad.digest)).body.toString()) as { layers: { digest: string }[] };
    const badLayer = badManifest.layers.at(-1)?.digest;
    expect((await fetch(`http://${gate.host}/v2/${nameOf(bad.repository)}/blobs/${badLayer}`)).status).toBe(403);
    const goodName = nameOf(good.repository);
    const m = await getManifest(gate.host, goodName, '1');
    expect(m.status).toBe(200);
    const layer = (JSON.parse(m.body.toString()) as { layers: { digest: string; size: number }[] }).layers.at(-1);
    const blob = await fetch(`http://${gate.host}/v2/${goodName}/blobs/${layer?.digest}`);
    expect(blob.status).toBe(200);
    expect((await blob.arrayBuffer()).byteLength).toBe(layer?.size);
  });
});
