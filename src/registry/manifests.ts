// Manifest requests: GET (size-capped, digest-checked), HEAD, PUT and DELETE by tag or digest.
import { fail } from '../core/errors.js';
import { isDigest, sha256Digest, type Digest } from '../core/digest.js';
import { repositoryScope } from './auth.js';
import { contentLength, readCapped } from './body.js';
import { formatReference } from './reference.js';
import { responseError } from './errors.js';
import type { RegistrySession } from './session.js';
import { ALL_MANIFEST_TYPES, type Descriptor, type FetchedManifest, type ImageIndex, type ImageManifest } from './types.js';

/** Manifests larger than this are refused (the limit distribution and containerd use). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

function mediaTypeOf(res: Response): string | undefined {
  const ct = res.headers.get('content-type')?.split(';')[0]?.trim();
  return ct && ALL_MANIFEST_TYPES.includes(ct) ? ct : undefined;
}

function path(name: string, reference: string): string {
  return `/v2/${name}/manifests/${reference}`;
}

/** Fetches a manifest; the raw bytes are checked against the digest asked for or the Docker-Content-Digest. */
export async function fetchManifest(
  s: RegistrySession,
  name: string,
  reference: string,
  accept: readonly string[] = ALL_MANIFEST_TYPES,
): Promise<FetchedManifest> {
  const what = `manifest ${formatReference(s.registry, name, reference)}`;
  const res = await s.request({
    method: 'GET',
    path: path(name, reference),
    scopes: [repositoryScope(name, 'pull')],
    headers: { Accept: accept.join(', ') },
    retry: true,
    what,
  });
  if (!res.ok) throw await responseError(res, what, s.registry);
  const bytes = await readCapped(res, MAX_MANIFEST_BYTES, { what });
  const digest = sha256Digest(bytes);
  const header = res.headers.get('docker-content-digest');
  const want = isDigest(reference) ? reference : isDigest(header) ? header : undefined;
  if (want && want !== digest) fail('DIGEST_MISMATCH', `${what}: content digest ${digest}, want ${want}`);
  let manifest: ImageManifest | ImageIndex;
  try {
    manifest = JSON.parse(bytes.toString('utf8')) as ImageManifest | ImageIndex;
  } catch (e) {
    fail('CORRUPT_INPUT', `${what}: not JSON`, { cause: e });
  }
  if (typeof manifest !== 'object' || manifest === null) fail('CORRUPT_INPUT', `${what}: not a JSON object`);
  if ((manifest as { schemaVersion?: unknown }).schemaVersion !== 2) {
    fail('UNSUPPORTED', `${what}: schemaVersion ${String((manifest as { schemaVersion?: unknown }).schemaVersion)} is not supported`);
  }
  const mediaType = mediaTypeOf(res) ?? manifest.mediaType;
  if (!mediaType || !accept.includes(mediaType)) fail('UNSUPPORTED', `${what}: unexpected media type ${String(mediaType)}`);
  return { digest, mediaType, size: bytes.length, bytes, manifest };
}

/** Asks for a manifest's descriptor without its body; undefined when it does not exist. */
export async function headManifest(
  s: RegistrySession,
  name: string,
  reference: string,
  accept: readonly string[] = ALL_MANIFEST_TYPES,
): Promise<Descriptor | undefined> {
  const what = `manifest ${formatReference(s.registry, name, reference)}`;
  const res = await s.request({
    method: 'HEAD',
    path: path(name, reference),
    scopes: [repositoryScope(name, 'pull')],
    headers: { Accept: accept.join(', ') },
    retry: true,
    what,
  });
  if (res.status === 404) return undefined;
  if (!res.ok) throw await responseError(res, what, s.registry);
  const digest = res.headers.get('docker-content-digest');
  const size = contentLength(res);
  const mediaType = mediaTypeOf(res);
  if (!isDigest(digest) || size === undefined || !mediaType) {
    const full = await fetchManifest(s, name, reference, accept);
    return { mediaType: full.mediaType, digest: full.digest, size: full.size };
  }
  if (isDigest(reference) && digest !== reference) fail('DIGEST_MISMATCH', `${what}: registry says ${digest}`);
  return { mediaType, digest, size };
}

/** The outcome of a manifest PUT: its digest and the `OCI-Subject` header (set by registries with referrers API). */
export interface PutManifestResult {
  digest: Digest;
  ociSubject?: string;
}

/** Uploads a manifest under a tag or its own digest. */
export async function putManifest(
  s: RegistrySession,
  name: string,
  tagOrDigest: string,
  bytes: Buffer,
  mediaType: string,
  opts: { retry?: boolean } = {},
): Promise<PutManifestResult> {
  const what = `manifest upload ${formatReference(s.registry, name, tagOrDigest)}`;
  if (bytes.length > MAX_MANIFEST_BYTES) fail('CORRUPT_INPUT', `${what}: ${bytes.length} bytes is more than allowed`);
  const digest = sha256Digest(bytes);
  if (isDigest(tagOrDigest) && tagOrDigest !== digest) fail('DIGEST_MISMATCH', `${what}: bytes have digest ${digest}`);
  const res = await s.request({
    method: 'PUT',
    path: path(name, tagOrDigest),
    scopes: [repositoryScope(name, 'push')],
    headers: { 'Content-Type': mediaType },
    body: bytes,
    retry: opts.retry ?? true,
    what,
  });
  if (!res.ok) throw await responseError(res, what, s.registry);
  await res.body?.cancel().catch(() => undefined);
  const stored = res.headers.get('docker-content-digest');
  if (isDigest(stored) && stored !== digest) fail('DIGEST_MISMATCH', `${what}: registry stored ${stored}, sent ${digest}`);
  return { digest, ociSubject: res.headers.get('oci-subject') ?? undefined };
}

/** Deletes a manifest by digest; false when it was already gone. */
export async function deleteManifest(s: RegistrySession, name: string, digest: Digest): Promise<boolean> {
  const what = `manifest delete ${s.registry}/${name}@${digest}`;
  const res = await s.request({
    method: 'DELETE',
    path: path(name, digest),
    scopes: [repositoryScope(name, 'delete')],
    retry: true,
    what,
  });
  if (res.status === 405) fail('UNSUPPORTED', `${what}: the registry does not allow deletes`);
  if (!res.ok && res.status !== 404) throw await responseError(res, what, s.registry);
  await res.body?.cancel().catch(() => undefined);
  return res.ok;
}
