// OCI and Docker v2 manifest shapes and media types, as far as this client reads and writes them.
import type { Digest } from '../core/digest.js';

/** Media types the client understands. */
export const MediaType = {
  OCI_MANIFEST: 'application/vnd.oci.image.manifest.v1+json',
  OCI_INDEX: 'application/vnd.oci.image.index.v1+json',
  DOCKER_MANIFEST: 'application/vnd.docker.distribution.manifest.v2+json',
  DOCKER_LIST: 'application/vnd.docker.distribution.manifest.list.v2+json',
  OCI_EMPTY: 'application/vnd.oci.empty.v1+json',
} as const;

/** Every manifest and index media type, the default `Accept` of manifest requests. */
export const ALL_MANIFEST_TYPES: readonly string[] = [
  MediaType.OCI_MANIFEST,
  MediaType.OCI_INDEX,
  MediaType.DOCKER_MANIFEST,
  MediaType.DOCKER_LIST,
];

/** True for the two index media types (OCI index, Docker manifest list). */
export function isIndexType(mediaType: string | undefined): boolean {
  return mediaType === MediaType.OCI_INDEX || mediaType === MediaType.DOCKER_LIST;
}

/** A platform as written in an index entry. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
  'os.version'?: string;
  'os.features'?: string[];
}

/** An OCI content descriptor. */
export interface Descriptor {
  mediaType: string;
  digest: Digest;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
  platform?: Platform;
  urls?: string[];
}

/** An OCI image manifest or Docker v2 schema2 manifest. */
export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** An OCI image index or Docker manifest list. */
export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** A manifest fetched from a registry: the raw bytes, their digest, and the parsed JSON. */
export interface FetchedManifest {
  digest: Digest;
  mediaType: string;
  size: number;
  bytes: Buffer;
  manifest: ImageManifest | ImageIndex;
}

/** True when a parsed manifest is an index (has `manifests`). */
export function isIndex(m: ImageManifest | ImageIndex): m is ImageIndex {
  return Array.isArray((m as ImageIndex).manifests);
}
