// The referrers tag-schema fallback: an OCI index under tag `sha256-<hex>`, updated read-modify-write and re-read.
import { setTimeout as sleep } from 'node:timers/promises';
import { fail, isMlbuildError, MlbuildError } from '../core/errors.js';
import { digestHex, type Digest } from '../core/digest.js';
import { warn } from '../core/events.js';
import type { RegistryClient } from './client.js';
import { RegistryError } from './errors.js';
import { backoffDelay } from './fetch.js';
import { putManifest } from './manifests.js';
import { ImageReference, type Repository } from './reference.js';
import { isIndex, MediaType, type Descriptor, type ImageIndex } from './types.js';

/** Knobs of the read-modify-write loop: attempts, and the settle time before re-reading a write. */
export interface FallbackUpdateOptions {
  /** Writes tried before giving up (default 8). */
  attempts?: number;
  /** Wait after a write before checking it survived concurrent writers (default 300 ms, jittered ±50%). */
  settleMs?: number;
}

/** The fallback tag of a subject: `sha256-<hex>`. */
export function fallbackTag(subject: Digest): string {
  return `sha256-${digestHex(subject)}`;
}

/** An empty OCI index. */
export function emptyIndex(): ImageIndex {
  return { schemaVersion: 2, mediaType: MediaType.OCI_INDEX, manifests: [] };
}

/**
 * Reads the fallback index; missing means empty, and unreadable or non-index content is reported and treated as
 * empty: a reader ignores it, a writer (`forUpdate`) says it will replace it.
 */
export async function readFallbackIndex(client: RegistryClient, repo: Repository, subject: Digest, forUpdate = false): Promise<ImageIndex> {
  const ref = new ImageReference(repo.registry, repo.name, fallbackTag(subject));
  const fate = forUpdate ? 'it will be replaced' : 'read as holding no referrers';
  try {
    const got = await client.getManifest(ref);
    if (isIndex(got.manifest) && Array.isArray(got.manifest.manifests)) {
      return { ...got.manifest, manifests: got.manifest.manifests.filter((d) => d && typeof d.digest === 'string') };
    }
    warn(client.events, `registry: ${ref} holds a ${got.mediaType}, not a referrers index; ${fate}`);
  } catch (e) {
    if (isMlbuildError(e, 'NOT_FOUND')) return emptyIndex();
    if (!isMlbuildError(e, 'CORRUPT_INPUT') && !isMlbuildError(e, 'UNSUPPORTED')) throw e;
    warn(client.events, `registry: unreadable content under the fallback tag: ${e.message}; ${fate}`);
  }
  return emptyIndex();
}

function isDanglingError(e: unknown): boolean {
  return e instanceof RegistryError && e.status === 400 && e.errors.some((x) => x.code === 'MANIFEST_BLOB_UNKNOWN');
}

/** Drops entries whose manifests are gone: distribution refuses an index that lists a missing manifest. */
async function dropMissing(client: RegistryClient, repo: Repository, list: Descriptor[]): Promise<Descriptor[]> {
  const kept: Descriptor[] = [];
  for (const d of list) {
    if (await client.headManifest(new ImageReference(repo.registry, repo.name, undefined, d.digest))) kept.push(d);
    else warn(client.events, `registry: dropping referrer ${d.digest} from the fallback index: its manifest is gone`);
  }
  return kept;
}

async function writeIndex(client: RegistryClient, repo: Repository, subject: Digest, index: ImageIndex): Promise<void> {
  const bytes = Buffer.from(JSON.stringify(index));
  // No transport retries here: a delayed retry would write a stale read; the caller's loop re-reads instead.
  await putManifest(client.session(repo.registry), repo.name, fallbackTag(subject), bytes, MediaType.OCI_INDEX, { retry: false });
}

/**
 * Changes the fallback index until a re-read after a settle time shows `done`: the registry has no compare-and-swap
 * (distribution ignores If-Match), so concurrent writers may overwrite each other and each one re-checks its own change.
 */
export async function updateFallbackIndex(
  client: RegistryClient,
  repo: Repository,
  subject: Digest,
  change: (manifests: Descriptor[]) => Descriptor[],
  done: (manifests: Descriptor[]) => boolean,
  opts: FallbackUpdateOptions = {},
): Promise<void> {
  const attempts = opts.attempts ?? 8;
  const settle = opts.settleMs ?? 300;
  const where = `${repo.registry}/${repo.name}:${fallbackTag(subject)}`;
  let prune = false;
  for (let attempt = 0; ; attempt++) {
    const current = await readFallbackIndex(client, repo, subject, true);
    if (prune) current.manifests = await dropMissing(client, repo, current.manifests);
    if (done(current.manifests)) return;
    if (attempt >= attempts) {
      fail('REGISTRY_ERROR', `${where}: the referrers index did not keep our change after ${attempts} writes`, { temporary: true });
    }
    if (attempt > 0) client.events({ type: 'log', level: 'debug', message: `registry: ${where} lost a concurrent update; retrying` });
    try {
      await writeIndex(client, repo, subject, { ...current, mediaType: MediaType.OCI_INDEX, manifests: change(current.manifests) });
    } catch (e) {
      if (isDanglingError(e) && attempt < attempts) {
        prune = true;
        continue;
      }
      if (!(e instanceof MlbuildError && e.temporary)) throw e;
      warn(client.events, `registry: ${e.message}; retrying`); // the message names the manifest already
      await sleep(backoffDelay(attempt + 1, { baseDelayMs: 200, maxDelayMs: 5000 }));
      continue;
    }
    await sleep(Math.round(settle * (0.5 + Math.random())));
  }
}
