// RegistryClient against a real distribution 2.8: manifests, blobs (monolithic, chunked, mount), tags, platforms.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Digest } from '../../../src/core/digest.js';
import { isMlbuildError } from '../../../src/core/errors.js';
import { MAX_MANIFEST_BYTES, MediaType, RegistryClient, parseReference } from '../../../src/registry/index.js';
import { FaultProxy } from '../../helpers/fault-proxy.js';
import { pushImage } from './fixtures.js';
import { startRegistry, type RegistryProcess } from './registry-process.js';

let reg: RegistryProcess;
let client: RegistryClient;

beforeAll(async () => {
  reg = await startRegistry();
  client = new RegistryClient({ credentials: async () => undefined });
});
afterAll(async () => reg?.stop());

async function collect(it: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of it) parts.push(c);
  return Buffer.concat(parts);
}

async function* slices(b: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.length; i += size) yield new Uint8Array(b.subarray(i, i + size));
}

describe('RegistryClient on distribution 2.8', () => {
  it('pushes and reads OCI and Docker v2 manifests by tag and digest', async () => {
    const repo = `${reg.host}/client/manifests`;
    for (const docker of [false, true]) {
      const img = await pushImage(client, repo, docker ? 'docker' : 'oci', docker);
      const byTag = await client.getManifest(`${repo}:${docker ? 'docker' : 'oci'}`);
      expect(byTag.digest).toBe(img.digest);
      expect(byTag.mediaType).toBe(docker ? MediaType.DOCKER_MANIFEST : MediaType.OCI_MANIFEST);
      const byDigest = await client.getManifest(parseReference(repo).withDigest(img.digest));
      expect(byDigest.bytes.equals(byTag.bytes)).toBe(true);
      expect(await client.headManifest(`${repo}@${img.digest}`)).toEqual(img);
    }
    expect((await client.listTags(repo)).sort()).toEqual(['docker', 'oci']);
  });

  it('reports missing manifests and deletes by digest', async () => {
    const repo = `${reg.host}/client/delete`;
    const img = await pushImage(client, repo, 'gone');
    expect(await client.deleteManifest(repo, img.digest)).toBe(true);
    expect(await client.headManifest(`${repo}@${img.digest}`)).toBeUndefined();
    await expect(client.getManifest(`${repo}:gone`)).rejects.toSatisfy((e) => isMlbuildError(e, 'NOT_FOUND'));
    expect(await client.deleteManifest(repo, img.digest)).toBe(false);
  });

  it('refuses a manifest whose bytes do not match the digest it is put under', async () => {
    const bytes = Buffer.from('{"schemaVersion":2}');
    const wrong = sha256Digest('other');
    await expect(client.putManifest(`${reg.host}/client/x`, wrong, bytes, MediaType.OCI_MANIFEST)).rejects.toSatisfy((e) =>
      isMlbuildError(e, 'DIGEST_MISMATCH'),
    );
  });

  it('uploads blobs monolithically and in chunks, and streams them back verified', async () => {
    const repo = `${reg.host}/client/blobs`;
    const small = randomBytes(1000);
    expect(await client.pushBlob(repo, sha256Digest(small), small)).toBe('uploaded');
    expect(await client.pushBlob(repo, sha256Digest(small), small)).toBe('exists');
    const big = randomBytes(300_000);
    const d = sha256Digest(big);
    expect(await client.blobExists(repo, d)).toBe(false);
    expect(await client.pushBlob(repo, d, slices(big, 7_777), { chunkBytes: 64 * 1024 })).toBe('uploaded');
    expect(await client.blobExists(repo, d)).toBe(true);
    expect((await collect(client.getBlob(repo, d, { size: big.length }))).equals(big)).toBe(true);
    expect((await client.readBlob(repo, sha256Digest(small))).equals(small)).toBe(true);
  });

  it('refuses to upload bytes that do not match the digest (buffer and stream)', async () => {
    const repo = `${reg.host}/client/badpush`;
    const data = randomBytes(5000);
    const wrong = sha256Digest('not these bytes');
    await expect(client.pushBlob(repo, wrong, data)).rejects.toSatisfy((e) => isMlbuildError(e, 'DIGEST_MISMATCH'));
    await expect(client.pushBlob(repo, wrong, slices(data, 1000), { chunkBytes: 2048 })).rejects.toSatisfy((e) =>
      isMlbuildError(e, 'DIGEST_MISMATCH'),
    );
    expect(await client.blobExists(repo, wrong)).toBe(false);
  });

  it('mounts a blob from another repository', async () => {
    const data = randomBytes(4096);
    const d = sha256Digest(data);
    await client.pushBlob(`${reg.host}/client/mount-src`, d, data);
    expect(await client.pushBlob(`${reg.host}/client/mount-dst`, d, data, { from: `${reg.host}/client/mount-src` })).toBe('mounted');
    expect(await client.blobExists(`${reg.host}/client/mount-dst`, d)).toBe(true);
  });

  it('resolves an index to the requested platform', async () => {
    const repo = `${reg.host}/client/multi`;
    const amd = await pushImage(client, repo, 'amd64');
    const arm = await pushImage(client, repo, 'arm64');
    const index = {
      schemaVersion: 2,
      mediaType: MediaType.OCI_INDEX,
      manifests: [
        { ...amd, platform: { os: 'linux', architecture: 'amd64' } },
        { ...arm, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      ],
    };
    const indexDigest = await client.putManifest(repo, 'multi', Buffer.from(JSON.stringify(index)), MediaType.OCI_INDEX);
    const r = await client.resolve(`${repo}:multi`, { platform: 'linux/arm64' });
    expect(r.digest).toBe(arm.digest);
    expect(r.index?.digest).toBe(indexDigest);
    expect((await client.resolve(`${repo}:multi`, { platform: 'linux/amd64' })).digest).toBe(amd.digest);
    expect((await client.resolve(`${repo}:multi`, { index: 'keep' })).digest).toBe(indexDigest);
    await expect(client.resolve(`${repo}:multi`, { platform: 'linux/s390x' })).rejects.toSatisfy((e) => isMlbuildError(e, 'NOT_FOUND'));
  });

  it('sends the mlbuild user agent and refuses manifests over 4 MiB', async () => {
    const proxy = await FaultProxy.start(reg.url);
    try {
      const repo = `${proxy.host}/client/ua`;
      await pushImage(client, repo, 'v1');
      expect(proxy.seen.every((r) => r.userAgent?.startsWith('mlbuild/'))).toBe(true);
      proxy.add({ method: 'GET', path: '/manifests/big', fault: { kind: 'replace', body: Buffer.alloc(MAX_MANIFEST_BYTES + 1, 0x20) } });
      await expect(client.getManifest(`${repo}:big`)).rejects.toSatisfy((e) => isMlbuildError(e, 'CORRUPT_INPUT'));
    } finally {
      await proxy.close();
    }
  });
});
