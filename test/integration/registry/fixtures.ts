// Test images and referrer manifests pushed through the client under test.
import { randomBytes } from 'node:crypto';
import { sha256Digest, type Digest } from '../../../src/core/digest.js';
import { MediaType, type Descriptor, type RegistryClient } from '../../../src/registry/index.js';

/** The media type of sigstore bundles, used as the referrers' artifactType. */
export const BUNDLE_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const EMPTY = Buffer.from('{}');

/** Pushes a one-layer image with random content; returns the manifest descriptor. */
export async function pushImage(client: RegistryClient, repo: string, tag: string, docker = false): Promise<Descriptor> {
  const layer = randomBytes(2048);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256Digest(layer)] } }));
  await client.pushBlob(repo, sha256Digest(layer), layer);
  await client.pushBlob(repo, sha256Digest(config), config);
  const mediaType = docker ? MediaType.DOCKER_MANIFEST : MediaType.OCI_MANIFEST;
  const manifest = {
    schemaVersion: 2,
    mediaType,
    config: { mediaType: docker ? 'application/vnd.docker.container.image.v1+json' : 'application/vnd.oci.image.config.v1+json', digest: sha256Digest(config), size: config.length },
    layers: [{ mediaType: docker ? 'application/vnd.docker.image.rootfs.diff.tar.gzip' : 'application/vnd.oci.image.layer.v1.tar', digest: sha256Digest(layer), size: layer.length }],
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  const digest = await client.putManifest(repo, tag, bytes, mediaType);
  return { mediaType, digest, size: bytes.length };
}

/** Builds (does not push) a referrer manifest for `subject` carrying `payload` as its one layer; pushes the layer. */
export async function makeReferrer(client: RegistryClient, repo: string, subject: Descriptor, payload: string, artifactType = BUNDLE_TYPE): Promise<Buffer> {
  const layer = Buffer.from(payload);
  await client.pushBlob(repo, sha256Digest(layer), layer);
  await client.pushBlob(repo, sha256Digest(EMPTY), EMPTY);
  const manifest = {
    schemaVersion: 2,
    mediaType: MediaType.OCI_MANIFEST,
    artifactType,
    config: { mediaType: MediaType.OCI_EMPTY, digest: sha256Digest(EMPTY), size: 2 },
    layers: [{ mediaType: artifactType, digest: sha256Digest(layer), size: layer.length }],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations: { 'dev.sigstore.bundle.content': 'dsse-envelope', 'org.opencontainers.image.created': '2026-01-01T00:00:00Z' },
  };
  return Buffer.from(JSON.stringify(manifest));
}

/** The digest of a buffer, for assertions. */
export function digestOf(b: Buffer): Digest {
  return sha256Digest(b);
}
