// The referrers API through the gate: synthesised from distribution 2.8's fallback tag (artifactType filter,
// OCI-Filters-Applied), and two chained gates, the inner one serving the API the outer one then uses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from '../../helpers/fault-proxy.js';
import { docker, removeImage, useTempDir } from '../../helpers/index.js';
import { attestedImage, getManifest, nameOf, startTestGate, writeKeys, type KeyFiles, type TestGate } from './setup.js';

const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const tmp = useTempDir('gate-referrers');
let keys: KeyFiles;
let gate: TestGate;
const pulled: string[] = [];

interface Index {
  mediaType: string;
  manifests: { digest: string; artifactType?: string }[];
}

async function referrers(host: string, name: string, digest: string, artifactType?: string) {
  const q = artifactType ? `?artifactType=${encodeURIComponent(artifactType)}` : '';
  const res = await fetch(`http://${host}/v2/${name}/referrers/${digest}${q}`);
  return { status: res.status, filters: res.headers.get('oci-filters-applied'), type: res.headers.get('content-type'), index: (await res.json()) as Index };
}

beforeAll(async () => {
  keys = await writeKeys(tmp.path, 'release');
  gate = await startTestGate([keys.pub]);
});

afterAll(async () => {
  await gate?.close();
  await removeImage(...pulled);
});

describe('referrers API through the gate', () => {
  it('lists the bundle referrer of an image from the fallback tag, with the artifactType filter applied', async () => {
    const img = await attestedImage(tmp.path, keys);
    const name = nameOf(img.repository);
    const all = await referrers(gate.host, name, img.digest);
    expect(all.status).toBe(200);
    expect(all.type).toBe('application/vnd.oci.image.index.v1+json');
    expect(all.filters).toBeNull();
    expect(all.index.manifests).toHaveLength(1);
    expect(all.index.manifests[0].artifactType).toBe(BUNDLE);
    const same = await referrers(gate.host, name, img.digest, BUNDLE);
    expect(same.filters).toBe('artifactType');
    expect(same.index.manifests).toHaveLength(1);
    const none = await referrers(gate.host, name, img.digest, 'application/example');
    expect(none.filters).toBe('artifactType');
    expect(none.index.manifests).toHaveLength(0);
    // The referrer manifest itself passes through (it is an artifact, not an image).
    expect((await getManifest(gate.host, name, all.index.manifests[0].digest)).status).toBe(200);
  });

  it('answers an empty list for a subject without referrers', async () => {
    const r = await referrers(gate.host, 'test/none-here', `sha256:${'0'.repeat(64)}`);
    expect(r.status).toBe(200);
    expect(r.index.manifests).toEqual([]);
  });

  it('chains two gates: the outer one uses the inner one’s referrers API, never the fallback tag', async () => {
    const img = await attestedImage(tmp.path, keys);
    const name = nameOf(img.repository);
    const proxy = await FaultProxy.start(`http://${gate.host}`);
    const outer = await startTestGate([keys.pub], proxy.host);
    try {
      const ref = `${outer.host}/${name}:1`;
      pulled.push(ref);
      const r = await docker(['pull', ref]);
      expect(r.code, r.stderr).toBe(0);
      expect(proxy.seen.some((s) => s.path.startsWith(`/v2/${name}/referrers/${img.digest}`) && s.status === 200)).toBe(true);
      expect(proxy.seen.some((s) => s.path.includes('/manifests/sha256-'))).toBe(false);
      expect(outer.audits.find((a) => a.digest === img.digest)).toMatchObject({ result: 'allow' });
    } finally {
      await outer.close();
      await proxy.close();
    }
  });
});
