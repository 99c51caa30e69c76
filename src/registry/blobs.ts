// Blob requests: streamed, verified downloads; existence checks; uploads (monolithic, chunked, cross-repo mount).
import { fail } from '../core/errors.js';
import { DigestCounter, sha256Digest, verifyingStream, type Digest } from '../core/digest.js';
import { repositoryScope } from './auth.js';
import { bodyChunks, contentLength } from './body.js';
import { responseError } from './errors.js';
import type { RegistrySession } from './session.js';

/** Size of one PATCH in a chunked upload. */
export const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;

function blobPath(name: string, digest: Digest): string {
  return `/v2/${name}/blobs/${digest}`;
}

/** The size of a blob, or undefined when the repository does not have it. */
export async function statBlob(s: RegistrySession, name: string, digest: Digest): Promise<number | undefined> {
  const what = `blob ${s.registry}/${name}@${digest}`;
  const res = await s.request({ method: 'HEAD', path: blobPath(name, digest), scopes: [repositoryScope(name, 'pull')], retry: true, what });
  if (res.status === 404) return undefined;
  if (!res.ok) throw await responseError(res, what, s.registry);
  return contentLength(res) ?? 0;
}

/** Streams a blob, checking size and digest as the bytes flow; a short or altered body fails with DIGEST_MISMATCH. */
export async function* fetchBlob(s: RegistrySession, name: string, digest: Digest, size?: number): AsyncGenerator<Buffer> {
  const what = `blob ${s.registry}/${name}@${digest}`;
  const res = await s.request({ method: 'GET', path: blobPath(name, digest), scopes: [repositoryScope(name, 'pull')], retry: true, what });
  if (!res.ok) throw await responseError(res, what, s.registry);
  const declared = contentLength(res);
  if (size !== undefined && declared !== undefined && declared !== size) {
    await res.body?.cancel().catch(() => undefined);
    fail('DIGEST_MISMATCH', `${what}: registry sends ${declared} bytes, want ${size}`);
  }
  const want = size ?? declared;
  yield* verifyingStream(bodyChunks(res, { what, expectedSize: want }), digest, what, want);
}

/** How a blob upload went: already there, mounted from another repository, or uploaded. */
export type PushBlobResult = 'exists' | 'mounted' | 'uploaded';

/** Upload options: `from` is a repository name on the same registry to mount the blob from. */
export interface PushBlobOptions {
  from?: string;
  chunkBytes?: number;
}

async function startUpload(s: RegistrySession, name: string, digest: Digest, from?: string): Promise<URL | 'mounted'> {
  const what = `blob upload ${s.registry}/${name}@${digest}`;
  const scopes = [repositoryScope(name, 'push')];
  let query = '';
  if (from && from !== name) {
    query = `?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`;
    scopes.push(repositoryScope(from, 'pull'));
  }
  // Starting an upload session has no effect besides the session itself, so it is safe to retry.
  const res = await s.request({ method: 'POST', path: `/v2/${name}/blobs/uploads/${query}`, scopes, retry: true, what });
  if (res.status === 201 && query) {
    await res.body?.cancel().catch(() => undefined);
    return 'mounted';
  }
  if (res.status !== 202) throw await responseError(res, what, s.registry);
  await res.body?.cancel().catch(() => undefined);
  const location = res.headers.get('location');
  if (!location) fail('REGISTRY_ERROR', `${what}: no Location for the upload`);
  return s.url(location);
}

function withDigest(location: URL, digest: Digest): URL {
  const u = new URL(location);
  u.searchParams.set('digest', digest);
  return u;
}

async function finishUpload(s: RegistrySession, name: string, location: URL, digest: Digest, body: Buffer): Promise<void> {
  const what = `blob upload ${s.registry}/${name}@${digest}`;
  const res = await s.request({
    method: 'PUT',
    path: withDigest(location, digest),
    scopes: [repositoryScope(name, 'push')],
    headers: { 'Content-Type': 'application/octet-stream' },
    body,
    retry: true,
    what,
  });
  if (res.status !== 201 && res.status !== 204) throw await responseError(res, what, s.registry);
  await res.body?.cancel().catch(() => undefined);
}

async function cancelUpload(s: RegistrySession, name: string, location: URL): Promise<void> {
  const scopes = [repositoryScope(name, 'push')];
  const res = await s.request({ method: 'DELETE', path: location, scopes, what: 'cancel upload' }).catch(() => undefined);
  await res?.body?.cancel().catch(() => undefined);
}

async function* rechunk(source: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let have = 0;
  for await (const c of source) {
    parts.push(Buffer.from(c));
    have += c.byteLength;
    if (have >= size) {
      const all = Buffer.concat(parts);
      for (let i = 0; i + size <= all.length; i += size) yield all.subarray(i, i + size);
      const rest = all.subarray(all.length - (all.length % size));
      parts = rest.length ? [rest] : [];
      have = rest.length;
    }
  }
  if (have > 0) yield Buffer.concat(parts);
}

async function chunkedUpload(s: RegistrySession, name: string, start: URL, digest: Digest, data: AsyncIterable<Uint8Array>, chunk: number): Promise<void> {
  const what = `blob upload ${s.registry}/${name}@${digest}`;
  const counter = new DigestCounter();
  let location = start;
  try {
    for await (const part of rechunk(data, chunk)) {
      const range = `${counter.bytes}-${counter.bytes + part.length - 1}`;
      counter.update(part);
      const res = await s.request({
        method: 'PATCH',
        path: location,
        scopes: [repositoryScope(name, 'push')],
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Range': range },
        body: part,
        what,
      });
      if (res.status !== 202) throw await responseError(res, what, s.registry);
      await res.body?.cancel().catch(() => undefined);
      const next = res.headers.get('location');
      if (next) location = s.url(next);
    }
    const got = counter.digest();
    if (got !== digest) fail('DIGEST_MISMATCH', `${what}: streamed bytes have digest ${got}`);
  } catch (e) {
    await cancelUpload(s, name, location);
    throw e;
  }
  await finishUpload(s, name, location, digest, Buffer.alloc(0));
}

/** Uploads a blob unless present: one POST+PUT for a buffer, PATCH chunks for a stream, a mount when `from` is given. */
export async function uploadBlob(
  s: RegistrySession,
  name: string,
  digest: Digest,
  data: Buffer | AsyncIterable<Uint8Array>,
  opts: PushBlobOptions = {},
): Promise<PushBlobResult> {
  if (Buffer.isBuffer(data) && sha256Digest(data) !== digest) {
    fail('DIGEST_MISMATCH', `blob for ${s.registry}/${name}: bytes have digest ${sha256Digest(data)}, want ${digest}`);
  }
  if ((await statBlob(s, name, digest)) !== undefined) return 'exists';
  const started = await startUpload(s, name, digest, opts.from);
  if (started === 'mounted') return 'mounted';
  if (Buffer.isBuffer(data)) await finishUpload(s, name, started, digest, data);
  else await chunkedUpload(s, name, started, digest, data, opts.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  return 'uploaded';
}
