// Signed attestations as OCI 1.1 referrers: the cosign v3 / GitHub layout (empty config, one bundle layer,
// `subject` = the image manifest), and publishing one so that a failure never leaves a dangling referrer.
import { BUNDLE_MEDIA_TYPE, type BundleJson } from '../attest/bundle.js';
import { sha256Digest, type Digest } from '../core/digest.js';
import { describeError, isMlbuildError, MlbuildError } from '../core/errors.js';
import { warn } from '../core/events.js';
import { MediaType, toReference, type Descriptor, type ImageManifest, type ImageReference, type RegistryClient } from '../registry/index.js';

/** The OCI empty descriptor (`{}`), the config of every artifact manifest. */
export const EMPTY_DESCRIPTOR: Descriptor = {
  mediaType: MediaType.OCI_EMPTY,
  digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  size: 2,
};

/** The config of a bundle referrer: the empty descriptor naming the bundle media type, as cosign v3 writes it. */
export const BUNDLE_CONFIG_DESCRIPTOR: Descriptor = { ...EMPTY_DESCRIPTOR, artifactType: BUNDLE_MEDIA_TYPE };

/** The bytes of the empty blob. */
export const EMPTY_BLOB = Buffer.from('{}');

/** Annotation keys written on (and read from) attestation referrers. */
export const REFERRER_ANNOTATIONS = {
  content: 'dev.sigstore.bundle.content',
  predicateType: 'dev.sigstore.bundle.predicateType',
  created: 'org.opencontainers.image.created',
} as const;

/** A referrer manifest ready to push: its bytes and parsed form. */
export interface ReferrerManifest {
  bytes: Buffer;
  manifest: ImageManifest;
  digest: Digest;
}

/** Builds the referrer manifest of a bundle for `subject` (mediaType, digest and size of the image manifest). */
export function buildReferrerManifest(subject: Descriptor, bundle: Buffer, predicateType: string, created = new Date()): ReferrerManifest {
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.OCI_MANIFEST,
    artifactType: BUNDLE_MEDIA_TYPE,
    config: { ...BUNDLE_CONFIG_DESCRIPTOR },
    layers: [{ mediaType: BUNDLE_MEDIA_TYPE, digest: sha256Digest(bundle), size: bundle.length }],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations: {
      [REFERRER_ANNOTATIONS.content]: 'dsse-envelope',
      [REFERRER_ANNOTATIONS.predicateType]: predicateType,
      [REFERRER_ANNOTATIONS.created]: created.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  return { bytes, manifest, digest: sha256Digest(bytes) };
}

/** Where an attestation was published: the repository, the image manifest it refers to, and the referrer. */
export interface PublishedReferrer {
  repository: string;
  subject: Descriptor;
  referrer: Descriptor;
  bundleDigest: Digest;
}

/** Options of publishAttestation: the referrer's creation time, and the fallback loop's settle time. */
export interface PublishOptions {
  created?: Date;
  settleMs?: number;
}

/**
 * Pushes the empty config, the bundle blob and the referrer manifest, and makes it discoverable (referrers API or
 * the `sha256-<hex>` fallback index). When anything fails after the referrer manifest may have been written, it is
 * detached again, so no half-published referrer remains; the original error is rethrown.
 */
export async function publishAttestation(
  client: RegistryClient,
  imageRef: ImageReference | string,
  subject: Descriptor,
  bundleJson: BundleJson | string | Buffer,
  predicateType: string,
  opts: PublishOptions = {},
): Promise<PublishedReferrer> {
  const ref = toReference(imageRef);
  const repo = { registry: ref.registry, name: ref.name };
  const bundle = Buffer.isBuffer(bundleJson) ? bundleJson : Buffer.from(typeof bundleJson === 'string' ? bundleJson : JSON.stringify(bundleJson));
  const built = buildReferrerManifest(subject, bundle, predicateType, opts.created);
  await client.pushBlob(repo, EMPTY_DESCRIPTOR.digest, EMPTY_BLOB);
  await client.pushBlob(repo, built.manifest.layers[0].digest, bundle);
  try {
    const referrer = await client.attachReferrer(repo, built.bytes, {}, { settleMs: opts.settleMs });
    return { repository: ref.repository, subject: built.manifest.subject as Descriptor, referrer, bundleDigest: sha256Digest(bundle) };
  } catch (e) {
    await rollback(client, repo, subject.digest, built.digest);
    if (isMlbuildError(e)) throw e;
    throw new MlbuildError('REGISTRY_ERROR', `attaching the attestation to ${ref.repository}@${subject.digest} failed: ${describeError(e)}`, { cause: e });
  }
}

async function rollback(client: RegistryClient, repo: { registry: string; name: string }, subject: Digest, referrer: Digest): Promise<void> {
  try {
    const there = await client.headManifest(`${repo.registry}/${repo.name}@${referrer}`, { accept: [MediaType.OCI_MANIFEST] });
    if (there) await client.detachReferrer(repo, subject, referrer);
  } catch (e) {
    warn(client.events, `could not remove the half-published referrer ${referrer}: ${describeError(e)}`);
  }
}
