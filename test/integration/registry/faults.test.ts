// Fault injection through a proxy in front of a real registry: retries, timeouts, corrupt and truncated bodies.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sha256Digest } from '../../../src/core/digest.js';
import { isMlbuildError, MlbuildError } from '../../../src/core/errors.js';
import type { MlEvent } from '../../../src/core/events.js';
import { RegistryClient, RegistryError } from '../../../src/registry/index.js';
import { FaultProxy } from '../../helpers/fault-proxy.js';
import { digestOf, makeReferrer, pushImage } from './fixtures.js';
import { freePort, startRegistry, type RegistryProcess } from './registry-process.js';

let reg: RegistryProcess;
let proxy: FaultProxy;
let events: MlEvent[];
let client: RegistryClient;

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
  client = new RegistryClient({
    credentials: async () => undefined,
    events: (e) => events.push(e),
    fetch: { baseDelayMs: 20, maxDelayMs: 100, retryAfterCapMs: 300, timeoutMs: 1000 },
  });
});

async function drain(it: AsyncIterable<Buffer>): Promise<number> {
  let n = 0;
  for await (const c of it) n += c.length;
  return n;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return isMlbuildError(e) ? e.code : `uncoded: ${String(e)}`;
  }
}

describe('faults', () => {
  it('recovers from a 503 burst on manifest and blob requests, reporting retries as events', async () => {
    const repo = `${proxy.host}/faults/burst`;
    const img = await pushImage(client, repo, 'v1');
    proxy.add({ method: 'GET', path: '/manifests/', fault: { kind: 'status', status: 503 }, times: 3 });
    proxy.add({ method: 'PUT', path: '/manifests/v2', fault: { kind: 'status', status: 500 }, times: 2 });
    proxy.add({ method: 'HEAD', path: '/blobs/', fault: { kind: 'status', status: 429, retryAfter: '0' }, times: 2 });
    expect((await client.getManifest(`${repo}:v1`)).digest).toBe(img.digest);
    const again = await pushImage(client, repo, 'v2');
    expect((await client.getManifest(`${repo}:v2`)).digest).toBe(again.digest);
    const retries = events.filter((e) => e.type === 'log' && e.message.includes('retry'));
    expect(retries.length).toBe(7);
  });

  it('names each retried request once, and a digest reference as repo@sha256:…', async () => {
    const repo = `${proxy.host}/faults/names`;
    const img = await pushImage(client, repo, 'v1');
    proxy.add({ method: 'GET', path: `/manifests/${img.digest}`, fault: { kind: 'status', status: 503 }, times: 1 });
    proxy.add({ method: 'GET', path: '/manifests/v1', fault: { kind: 'delay', ms: 1500 }, times: 1 });
    await client.getManifest(`${repo}@${img.digest}`);
    await client.getManifest(`${repo}:v1`);
    const retries = events.flatMap((e) => (e.type === 'log' && e.message.includes('retry') ? [e.message] : []));
    expect(retries).toHaveLength(2);
    expect(retries[0]).toContain(`${repo}@${img.digest}`);
    expect(retries[0]).not.toContain(`${repo}:sha256:`);
    for (const m of retries) expect(m.split('manifest ').length, m).toBe(2);
    const missing = await client.getManifest(`${repo}@sha256:${'0'.repeat(64)}`).catch((e: unknown) => e);
    expect((missing as Error).message).toContain(`${repo}@sha256:`);
  });

  it('gives up after the bounded attempts with a temporary REGISTRY_ERROR', async () => {
    const repo = `${proxy.host}/faults/down`;
    await pushImage(client, repo, 'v1');
    proxy.add({ method: 'GET', path: '/manifests/v1', fault: { kind: 'status', status: 503 } });
    const err = await client.getManifest(`${repo}:v1`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect(err).toMatchObject({ code: 'REGISTRY_ERROR', temporary: true, status: 503 });
    expect((err as RegistryError).errors[0]?.code).toBe('UNAVAILABLE');
    expect(proxy.seen.filter((s) => s.method === 'GET' && s.path.endsWith('/manifests/v1')).length).toBe(4);
  });

  it('does not retry a request that is not safe to repeat (chunk PATCH)', async () => {
    const repo = `${proxy.host}/faults/patch`;
    proxy.add({ method: 'PATCH', path: '/blobs/uploads/', fault: { kind: 'status', status: 503 } });
    const data = randomBytes(3000);
    async function* one() {
      yield data;
    }
    expect(await codeOf(client.pushBlob(repo, sha256Digest(data), one()))).toBe('REGISTRY_ERROR');
    expect(proxy.seen.filter((s) => s.method === 'PATCH').length).toBe(1);
  });

  it('times out a slow reply and succeeds on the retry', async () => {
    const repo = `${proxy.host}/faults/slow`;
    const img = await pushImage(client, repo, 'v1');
    proxy.add({ method: 'GET', path: '/manifests/v1', fault: { kind: 'delay', ms: 1500 }, times: 1 });
    expect((await client.getManifest(`${repo}:v1`)).digest).toBe(img.digest);
    expect(events.some((e) => e.type === 'log' && e.message.includes('no response within'))).toBe(true);
  });

  it('fails a blob whose bytes differ from its digest with DIGEST_MISMATCH', async () => {
    const repo = `${proxy.host}/faults/corrupt`;
    const data = randomBytes(10_000);
    const d = sha256Digest(data);
    await client.pushBlob(repo, d, data);
    proxy.add({ method: 'GET', path: `/blobs/${d}`, fault: { kind: 'corrupt' } });
    expect(await codeOf(drain(client.getBlob(repo, d)))).toBe('DIGEST_MISMATCH');
    expect(await codeOf(drain(client.getBlob(repo, d, { size: data.length })))).toBe('DIGEST_MISMATCH');
  });

  it('fails a truncated blob body with DIGEST_MISMATCH', async () => {
    const repo = `${proxy.host}/faults/truncated`;
    const data = randomBytes(200_000);
    const d = sha256Digest(data);
    await client.pushBlob(repo, d, data);
    proxy.add({ method: 'GET', path: `/blobs/${d}`, fault: { kind: 'truncate', keep: 50_000 } });
    expect(await codeOf(drain(client.getBlob(repo, d, { size: data.length })))).toBe('DIGEST_MISMATCH');
    expect(await codeOf(drain(client.getBlob(repo, d)))).toBe('DIGEST_MISMATCH');
  });

  it('fails a manifest whose bytes differ from the digest asked for or announced', async () => {
    const repo = `${proxy.host}/faults/manifest`;
    const img = await pushImage(client, repo, 'v1');
    proxy.add({ method: 'GET', path: '/manifests/', fault: { kind: 'corrupt' } });
    expect(await codeOf(client.getManifest(`${repo}:v1`))).toBe('DIGEST_MISMATCH');
    expect(await codeOf(client.getManifest(`${repo}@${img.digest}`))).toBe('DIGEST_MISMATCH');
  });

  it('fails a truncated manifest with DIGEST_MISMATCH and an oversized one with CORRUPT_INPUT', async () => {
    const repo = `${proxy.host}/faults/manifest2`;
    await pushImage(client, repo, 'v1');
    proxy.add({ method: 'GET', path: '/manifests/v1', fault: { kind: 'truncate' }, times: 1 });
    expect(await codeOf(client.getManifest(`${repo}:v1`))).toBe('DIGEST_MISMATCH');
    proxy.add({ method: 'GET', path: '/manifests/v1', fault: { kind: 'replace', body: Buffer.alloc(5 * 1024 * 1024, 0x7b) } });
    expect(await codeOf(client.getManifest(`${repo}:v1`))).toBe('CORRUPT_INPUT');
  });

  it('keeps both referrers when index writes hit a 503 burst during a race', async () => {
    const repo = `${proxy.host}/faults/race`;
    const img = await pushImage(client, repo, 'v1');
    const a = await makeReferrer(client, repo, img, 'a');
    const b = await makeReferrer(client, repo, img, 'b');
    proxy.add({ method: 'PUT', path: '/manifests/sha256-', fault: { kind: 'status', status: 503 }, times: 2 });
    const other = new RegistryClient({ credentials: async () => undefined, fetch: { baseDelayMs: 20 } });
    await Promise.all([client.attachReferrer(repo, a, {}, { settleMs: 100 }), other.attachReferrer(repo, b, {}, { settleMs: 100 })]);
    expect((await client.listReferrers(repo, img.digest)).map((d) => d.digest).sort()).toEqual([digestOf(a), digestOf(b)].sort());
  });

  it('reports a refused connection as REGISTRY_UNREACHABLE', async () => {
    const port = await freePort();
    const err = await client.getManifest(`127.0.0.1:${port}/nothing/here:v1`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MlbuildError);
    expect(err).toMatchObject({ code: 'REGISTRY_UNREACHABLE', temporary: true });
    expect((err as Error).message).toContain('connection refused');
  });
});
