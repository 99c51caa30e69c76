// The OCI attestation store: each bundle is an OCI artifact (empty config, one bundle layer) tagged
// `bundle-<sha256 of the bundle>` in one repository, with the index facts in its annotations, so a build machine
// can fetch what a release machine attested.
import type { Digest } from '../core/digest.js';
import { sha256Digest } from '../core/digest.js';
import { fail, isMlbuildError, MlbuildError } from '../core/errors.js';
import { BUNDLE_MEDIA_TYPE, parseBundle, type BundleJson } from '../attest/bundle.js';
import { entryFromBundle, matchesRevision } from '../attest/store-entry.js';
import { normalizeSourceUrl, type StoreEntry, type StoreQuery } from '../attest/index.js';
import { BUNDLE_CONFIG_DESCRIPTOR, EMPTY_BLOB } from './referrer.js';
import { MediaType, parseRepository, RegistryClient, type ImageManifest, type Repository } from '../registry/index.js';

const TAG_PREFIX = 'bundle-';

/** A store in an OCI repository, `oci://REGISTRY/REPO`. */
export class OciAttestationStore {
  readonly location: string;
  private readonly repo: Repository;

  constructor(
    spec: string,
    private readonly client: RegistryClient = new RegistryClient(),
  ) {
    this.location = spec;
    this.repo = parseRepository(spec.replace(/^oci:\/\//, ''));
  }

  /** Pushes the bundle blob, the empty config and the artifact manifest (tagged by the bundle digest). */
  async put(bundle: string | Uint8Array | BundleJson): Promise<StoreEntry> {
    const bytes = typeof bundle === 'string' || bundle instanceof Uint8Array ? Buffer.from(bundle) : Buffer.from(JSON.stringify(bundle));
    parseBundle(bytes);
    const digest = sha256Digest(bytes);
    const entry = entryFromBundle(`bundles/${digest.slice(7)}.sigstore.json`, bytes, new Date());
    await this.client.pushBlob(this.repo, BUNDLE_CONFIG_DESCRIPTOR.digest, EMPTY_BLOB);
    await this.client.pushBlob(this.repo, digest, bytes);
    const annotations: Record<string, string> = { 'org.opencontainers.image.created': entry.created, 'dev.sigstore.bundle.content': 'dsse-envelope', 'dev.sigstore.bundle.predicateType': entry.predicateType };
    const manifest: ImageManifest = {
      schemaVersion: 2,
      mediaType: MediaType.OCI_MANIFEST,
      artifactType: BUNDLE_MEDIA_TYPE,
      config: { ...BUNDLE_CONFIG_DESCRIPTOR },
      layers: [{ mediaType: BUNDLE_MEDIA_TYPE, digest, size: bytes.length }],
      annotations,
    };
    await this.client.putManifest(this.repo, `${TAG_PREFIX}${digest.slice(7)}`, Buffer.from(JSON.stringify(manifest)), MediaType.OCI_MANIFEST);
    return { ...entry, file: this.fileOf(digest) };
  }

  /** Every bundle in the repository (each fetched and checked against its digest); unusable ones are problems. */
  async list(): Promise<StoreQuery> {
    let tags: string[];
    try {
      tags = await this.client.listTags(this.repo);
    } catch (e) {
      if (isMlbuildError(e) && /not ?found|NAME_UNKNOWN|404/i.test(e.message)) return { entries: [], problems: [] };
      throw e;
    }
    const entries: StoreEntry[] = [];
    const problems: MlbuildError[] = [];
    for (const tag of tags.filter((t) => t.startsWith(TAG_PREFIX)).sort()) {
      try {
        const { manifest } = await this.client.getManifest(`${this.repo.registry}/${this.repo.name}:${tag}`);
        const layer = (manifest as ImageManifest).layers?.[0];
        if (!layer) fail('CORRUPT_INPUT', `store artifact ${tag} has no bundle layer`);
        const bytes = await this.client.readBlob(this.repo, layer.digest, { size: layer.size, maxBytes: 16 * 1024 * 1024 });
        const created = new Date((manifest as ImageManifest).annotations?.['org.opencontainers.image.created'] ?? 0);
        entries.push({ ...entryFromBundle(`bundles/${layer.digest.slice(7)}.sigstore.json`, bytes, created), file: this.fileOf(layer.digest) });
      } catch (e) {
        problems.push(isMlbuildError(e) ? e : new MlbuildError('CORRUPT_INPUT', `store artifact ${tag}: ${String(e)}`, { cause: e }));
      }
    }
    entries.sort((a, b) => a.created.localeCompare(b.created) || a.file.localeCompare(b.file));
    return { entries, problems };
  }

  /** Attestations of a source, optionally of one revision or commit; newest last. */
  async findBySource(source: string, revision?: string): Promise<StoreQuery> {
    const key = normalizeSourceUrl(source);
    const all = await this.list();
    return { entries: all.entries.filter((e) => e.source === key && (revision === undefined || matchesRevision(e, revision))), problems: all.problems };
  }

  /** Attestations with a subject of this digest; newest last. */
  async findBySubject(digest: Digest | string): Promise<StoreQuery> {
    const want = (digest.startsWith('sha256:') ? digest : `sha256:${digest}`).toLowerCase();
    const all = await this.list();
    return { entries: all.entries.filter((e) => e.subjects.some((s) => s.digest === want)), problems: all.problems };
  }

  /** Fetches an entry's bundle (checked against its digest while it streams). */
  async readBundle(entry: StoreEntry): Promise<{ bytes: Buffer; json: BundleJson }> {
    const bytes = await this.client.readBlob(this.repo, entry.bundleDigest, { maxBytes: 16 * 1024 * 1024 });
    return { bytes, json: JSON.parse(bytes.toString('utf8')) as BundleJson };
  }

  private fileOf(digest: Digest): string {
    return `oci://${this.repo.registry}/${this.repo.name}@${digest}`;
  }
}
