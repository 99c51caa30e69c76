// The image model: a config and ordered layers, each of which can be read once as bytes or as a directory.
import type { Digest } from '../core/index.js';

/** The parts of an OCI/Docker image config mlbuild reads. */
export interface ImageConfig {
  architecture?: string;
  os?: string;
  variant?: string;
  created?: string;
  config?: { Labels?: Record<string, string> | null; Env?: string[] | null; Entrypoint?: string[] | null; Cmd?: string[] | null };
  rootfs: { type: string; diff_ids: string[] };
  history?: Array<{ created_by?: string; empty_layer?: boolean; created?: string; comment?: string }>;
}

/** Where a layer's bytes come from. */
export type LayerBytes =
  /** A byte range of a local file (a `docker save` member or an OCI layout blob), possibly compressed. */
  | { kind: 'file'; path: string; offset: number; size: number }
  /** A stream (registry blob) already checked against its digest by whoever opens it. */
  | { kind: 'stream'; open: () => Promise<AsyncIterable<Buffer>> }
  /** An overlay2 diff directory of a local engine: whiteouts are 0/0 char devices, opaque dirs carry an xattr. */
  | { kind: 'dir'; dir: string; opaque: () => Promise<string[]> }
  /** Only inside the image's export stream (a remote engine's `docker save`), matched by diffID while read. */
  | { kind: 'export' };

/** One layer, bottom (index 0) to top. */
export interface Layer {
  index: number;
  diffID: Digest;
  /** Digest of the blob as stored (compressed) when known; checked while reading. */
  digest?: Digest;
  mediaType?: string;
  /** The history step that made this layer (Dockerfile instruction). */
  createdBy?: string;
  bytes: LayerBytes;
}

/** An image opened from some location. */
export interface Image {
  /** The target as the user named it. */
  target: string;
  /** Where it came from: docker, docker-archive, oci-dir, registry. */
  scheme: 'docker' | 'docker-archive' | 'oci-dir' | 'registry';
  /** Repository name without tag, when known ("127.0.0.1:5000/app"). */
  name?: string;
  tags: string[];
  /** The image ID: digest of the config JSON. */
  imageId: Digest;
  /** Registry manifest digest when known. */
  manifestDigest?: Digest;
  repoDigests: string[];
  config: ImageConfig;
  layers: Layer[];
  /** A `docker save` stream holding the layers whose bytes are of kind 'export'. */
  exportStream?: () => Promise<AsyncIterable<Buffer>>;
  /** Notes about how the image was read (e.g. layers read in place, diffIDs not re-checked). */
  notes: string[];
  /** Releases files or connections. */
  close(): Promise<void>;
}

/** Attaches each layer's history step (non-empty history entries map to layers in order). */
export function historySteps(config: ImageConfig): Array<string | undefined> {
  const steps: Array<string | undefined> = [];
  for (const h of config.history ?? []) if (!h.empty_layer) steps.push(h.created_by);
  return config.rootfs.diff_ids.map((_, i) => steps[i]);
}
