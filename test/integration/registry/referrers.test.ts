// Referrers on distribution 2.8: tag-schema fallback with concurrent writers, detach, garbage, and the API path.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MlEvent } from '../../../src/core/events.js';
import { MediaType, RegistryClient, fallbackTag } from '../../../src/registry/index.js';
import { FaultProxy } from '../../helpers/fault-proxy.js';
import { BUNDLE_TYPE, digestOf, makeReferrer, pushImage } from './fixtures.js';
import { startRegistry, type RegistryProcess } from './registry-process.js';

let reg: RegistryProcess;
let proxy: FaultProxy;
let events: MlEvent[];
let client: RegistryClient;
const fast = { settleMs: 100 };

beforeAll(async () => {
  reg = await startRegistry();
  proxy = await FaultProxy.start(reg.url);
});
afterAll(async () => {
  await proxy?.close();
  await reg?.stop();
});
beforeEach(() => {
  proxy.reset();
  events = [];
  client = new RegistryClient({ credentials: async () => undefined, events: (e) => events.push(e), fetch: { baseDelayMs: 10 } });
});

describe('referrers via the tag-schema fallback', () => {
  it('attaches, lists with artifactType filter, and detaches', async () => {
    const repo = `${reg.host}/ref/basic`;
    const img = await pushImage(client, repo, 'v1');
    expect(await client.listReferrers(repo, img.digest)).toEqual([]);
    const sbom = await makeReferrer(client, repo, img, 'bundle-1');
    const other = await makeReferrer(client, repo, img, 'other', 'application/example');
    const d1 = await client.attachReferrer(repo, sbom, {}, fast);
    const d2 = await client.attachReferrer(repo, other, {}, fast);
    expect(d1).toMatchObject({ digest: digestOf(sbom), size: sbom.length, artifactType: BUNDLE_TYPE, mediaType: MediaType.OCI_MANIFEST });
    expect(d1.annotations?.['dev.sigstore.bundle.content']).toBe('dsse-envelope');
    expect((await client.listReferrers(repo, img.digest)).map((d) => d.digest).sort()).toEqual([d1.digest, d2.digest].sort());
    expect(await client.listReferrers(repo, img.digest, { artifactType: BUNDLE_TYPE })).toEqual([d1]);
    // Attaching again does not duplicate.
    await client.attachReferrer(repo, sbom, {}, fast);
    expect(await client.listReferrers(repo, img.digest)).toHaveLength(2);
    // The referrer manifest itself was pushed by digest, subject intact.
    const stored = await client.getManifest(`${repo}@${d1.digest}`);
    expect((stored.manifest as { subject?: { digest: string } }).subject?.digest).toBe(img.digest);

    await client.detachReferrer(repo, img.digest, d1.digest, fast);
    expect(await client.listReferrers(repo, img.digest)).toEqual([d2]);
    expect(await client.headManifest(`${repo}@${d1.digest}`)).toBeUndefined();
  });

  it('keeps both referrers when two publishers attach at the same time', async () => {
    const repo = `${reg.host}/ref/race`;
    const img = await pushImage(client, repo, 'v1');
    const a = await makeReferrer(client, repo, img, 'publisher-a');
    const b = await makeReferrer(client, repo, img, 'publisher-b');
    // Two independent clients: no shared state besides the registry.
    const other = new RegistryClient({ credentials: async () => undefined });
    await Promise.all([client.attachReferrer(repo, a, {}, fast), other.attachReferrer(repo, b, {}, fast)]);
    expect((await client.listReferrers(repo, img.digest)).map((d) => d.digest).sort()).toEqual([digestOf(a), digestOf(b)].sort());
  });

  it('keeps all of six concurrent publishers', async () => {
    const repo = `${reg.host}/ref/race6`;
    const img = await pushImage(client, repo, 'v1');
    const manifests = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => makeReferrer(client, repo, img, `p-${i}`)));
    await Promise.all(manifests.map((m) => new RegistryClient({ credentials: async () => undefined }).attachReferrer(repo, m, {}, fast)));
    const got = (await client.listReferrers(repo, img.digest)).map((d) => d.digest).sort();
    expect(got).toEqual(manifests.map(digestOf).sort());
  });

  it('replaces a non-index manifest under the fallback tag with a warning', async () => {
    const repo = `${reg.host}/ref/squatted`;
    const img = await pushImage(client, repo, 'v1');
    await pushImage(client, repo, fallbackTag(img.digest));
    expect(await client.listReferrers(repo, img.digest)).toEqual([]);
    // A reader only reads: its warning must not promise a replacement; the writer's does.
    const warnings = () => events.flatMap((e) => (e.type === 'log' && e.level === 'warn' && e.message.includes('not a referrers index') ? [e.message] : []));
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).not.toContain('replaced');
    const r = await makeReferrer(client, repo, img, 'x');
    await client.attachReferrer(repo, r, {}, fast);
    expect((await client.listReferrers(repo, img.digest)).map((d) => d.digest)).toEqual([digestOf(r)]);
    expect(warnings().some((m) => m.includes('will be replaced'))).toBe(true);
  });

  it('drops entries whose manifest was deleted behind its back (distribution refuses such an index)', async () => {
    const repo = `${reg.host}/ref/dangling`;
    const img = await pushImage(client, repo, 'v1');
    const gone = await makeReferrer(client, repo, img, 'gone');
    await client.attachReferrer(repo, gone, {}, fast);
    await client.deleteManifest(repo, digestOf(gone));
    const r = await makeReferrer(client, repo, img, 'new');
    await client.attachReferrer(repo, r, {}, fast);
    expect((await client.listReferrers(repo, img.digest)).map((d) => d.digest)).toEqual([digestOf(r)]);
    expect(events.some((e) => e.type === 'log' && e.message.includes('dropping referrer'))).toBe(true);
  });

  it('replaces garbage bytes under the fallback tag with a warning', async () => {
    const repo = `${proxy.host}/ref/garbage`;
    const img = await pushImage(client, repo, 'v1');
    proxy.add({ method: 'GET', path: `/manifests/${fallbackTag(img.digest)}`, fault: { kind: 'replace', body: '\x00not json{' }, times: 1 });
    const r = await makeReferrer(client, repo, img, 'y');
    await client.attachReferrer(repo, r, {}, fast);
    expect((await client.listReferrers(repo, img.digest)).map((d) => d.digest)).toEqual([digestOf(r)]);
    expect(events.some((e) => e.type === 'log' && e.level === 'warn' && e.message.includes('unreadable'))).toBe(true);
  });
});

describe('referrers via the referrers API (proxy answers it)', () => {
  it('uses the API, follows Link pages and filters client-side when the registry did not', async () => {
    const repo = `${proxy.host}/ref/api`;
    const img = await pushImage(client, repo, 'v1');
    const want: string[] = [];
    for (let i = 0; i < 5; i++) {
      const m = await makeReferrer(client, repo, img, `api-${i}`, i % 2 === 0 ? BUNDLE_TYPE : 'application/example');
      await client.attachReferrer(repo, m, {}, fast);
      if (i % 2 === 0) want.push(digestOf(m));
    }
    proxy.referrersApi = { pageSize: 2, applyFilter: false };
    proxy.seen.length = 0;
    expect(await client.listReferrers(repo, img.digest)).toHaveLength(5);
    const filtered = await client.listReferrers(repo, img.digest, { artifactType: BUNDLE_TYPE });
    expect(filtered.map((d) => d.digest).sort()).toEqual(want.sort());
    const paths = proxy.seen.map((s) => s.path);
    expect(paths.filter((p) => p.includes('/referrers/')).length).toBe(6);
    expect(paths.some((p) => p.includes(`/manifests/${fallbackTag(img.digest)}`))).toBe(false);

    proxy.referrersApi = { pageSize: 2, applyFilter: true };
    proxy.seen.length = 0;
    const server = await client.listReferrers(repo, img.digest, { artifactType: BUNDLE_TYPE });
    expect(server.map((d) => d.digest).sort()).toEqual(want.sort());
    expect(proxy.seen.filter((s) => s.path.includes('/referrers/')).length).toBe(2);
  });
});
