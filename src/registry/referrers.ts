// Referrers: discovery through the OCI referrers API or the tag-schema fallback; attaching and detaching.
import { fail } from '../core/errors.js';
import { isDigest, sha256Digest, type Digest } from '../core/digest.js';
import { repositoryScope } from './auth.js';
import { nextLink, readCapped } from './body.js';
import type { RegistryClient } from './client.js';
import { isTemporaryStatus, responseError } from './errors.js';
import { readFallbackIndex, updateFallbackIndex, type FallbackUpdateOptions } from './fallback-index.js';
import { MAX_MANIFEST_BYTES } from './manifests.js';
import type { Repository } from './reference.js';
import { MediaType, type Descriptor, type ImageManifest } from './types.js';

/** Filters for listing referrers. */
export interface ListReferrersOptions {
  artifactType?: string;
}

/** Attach/detach knobs: the fallback loop's options, and `fallback: 'always'` to write the tag even with an API. */
export interface AttachOptions extends FallbackUpdateOptions {
  fallback?: 'auto' | 'always';
}

const MAX_PAGES = 100;

function byType(list: Descriptor[], artifactType?: string): Descriptor[] {
  return artifactType ? list.filter((d) => d.artifactType === artifactType) : list;
}

/** Asks the referrers API; undefined when the registry does not offer it (any non-200 answer but auth or 5xx). */
async function fromApi(client: RegistryClient, repo: Repository, subject: Digest, artifactType?: string): Promise<Descriptor[] | undefined> {
  const s = client.session(repo.registry);
  const what = `referrers of ${repo.registry}/${repo.name}@${subject}`;
  let url: URL | undefined = s.url(`/v2/${repo.name}/referrers/${subject}`);
  if (artifactType) url.searchParams.set('artifactType', artifactType);
  const out: Descriptor[] = [];
  for (let page = 0; url && page < MAX_PAGES; page++) {
    const res: Response = await s.request({
      method: 'GET',
      path: url,
      scopes: [repositoryScope(repo.name, 'pull')],
      headers: { Accept: MediaType.OCI_INDEX },
      retry: true,
      what,
    });
    if (res.status !== 200) {
      if (res.status === 401 || res.status === 403 || isTemporaryStatus(res.status)) throw await responseError(res, what, s.registry);
      await res.body?.cancel().catch(() => undefined);
      if (page === 0) return undefined;
      fail('REGISTRY_ERROR', `${what}: page ${page + 1} answered HTTP ${res.status}`);
    }
    const body = await readCapped(res, MAX_MANIFEST_BYTES, { what });
    let index: { manifests?: unknown };
    try {
      index = JSON.parse(body.toString('utf8')) as { manifests?: unknown };
    } catch {
      if (page === 0) return undefined;
      fail('CORRUPT_INPUT', `${what}: page ${page + 1} is not JSON`);
    }
    if (!Array.isArray(index.manifests)) {
      if (page === 0) return undefined;
      fail('CORRUPT_INPUT', `${what}: page ${page + 1} is not an index`);
    }
    const filtered = (res.headers.get('oci-filters-applied') ?? '').split(',').map((f) => f.trim()).includes('artifactType');
    const list = (index.manifests as Descriptor[]).filter((d) => d && isDigest(d.digest));
    out.push(...(filtered ? list : byType(list, artifactType)));
    url = nextLink(res, url);
  }
  return out;
}

/** Lists the referrers of `subject`: the referrers API when it answers 200, else the `sha256-<hex>` fallback index. */
export async function listReferrers(client: RegistryClient, repo: Repository, subject: Digest, opts: ListReferrersOptions = {}): Promise<Descriptor[]> {
  if (!isDigest(subject)) fail('USAGE', `subject is not a sha256 digest: ${String(subject)}`);
  const api = await fromApi(client, repo, subject, opts.artifactType);
  if (api) return api;
  const index = await readFallbackIndex(client, repo, subject);
  return byType(index.manifests, opts.artifactType);
}

function referrerDescriptor(bytes: Buffer, given: Partial<Descriptor>): { descriptor: Descriptor; subject: Digest } {
  let m: ImageManifest;
  try {
    m = JSON.parse(bytes.toString('utf8')) as ImageManifest;
  } catch (e) {
    fail('CORRUPT_INPUT', 'referrer manifest is not JSON', { cause: e });
  }
  const subject = m.subject?.digest;
  if (!isDigest(subject)) fail('CORRUPT_INPUT', 'referrer manifest has no subject digest');
  const digest = sha256Digest(bytes);
  if (given.digest && given.digest !== digest) fail('DIGEST_MISMATCH', `referrer descriptor says ${given.digest}, bytes are ${digest}`);
  if (given.size !== undefined && given.size !== bytes.length) fail('DIGEST_MISMATCH', `referrer descriptor size ${given.size}, bytes ${bytes.length}`);
  const artifactType = given.artifactType ?? m.artifactType ?? m.config?.mediaType;
  const annotations = given.annotations ?? m.annotations;
  const descriptor: Descriptor = {
    mediaType: given.mediaType ?? m.mediaType ?? MediaType.OCI_MANIFEST,
    digest,
    size: bytes.length,
    ...(artifactType ? { artifactType } : {}),
    ...(annotations ? { annotations } : {}),
  };
  return { descriptor, subject };
}

/** Pushes a referrer manifest by digest and, unless the registry indexes `subject` itself, adds it to the fallback index. */
export async function attachReferrer(
  client: RegistryClient,
  repo: Repository,
  manifestBytes: Buffer,
  given: Partial<Descriptor> = {},
  opts: AttachOptions = {},
): Promise<Descriptor> {
  const { descriptor, subject } = referrerDescriptor(manifestBytes, given);
  const put = await client.putManifestResult(repo, descriptor.digest, manifestBytes, descriptor.mediaType);
  if (put.ociSubject === subject && opts.fallback !== 'always') return descriptor;
  await updateFallbackIndex(
    client,
    repo,
    subject,
    (list) => [...list.filter((d) => d.digest !== descriptor.digest), descriptor],
    (list) => list.some((d) => d.digest === descriptor.digest),
    opts,
  );
  return descriptor;
}

/** Removes a referrer from the fallback index (re-checked like attach) and deletes its manifest. */
export async function detachReferrer(client: RegistryClient, repo: Repository, subject: Digest, referrer: Digest, opts: AttachOptions = {}): Promise<void> {
  await updateFallbackIndex(
    client,
    repo,
    subject,
    (list) => list.filter((d) => d.digest !== referrer),
    (list) => !list.some((d) => d.digest === referrer),
    opts,
  );
  await client.deleteManifest(repo, referrer);
}
