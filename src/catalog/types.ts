// The merged file view catalogers read, and the neutral inventory they produce.
import type { Probe, ProbeFacts } from './probe.js';

/** One path of the merged image file tree, with the layer that brought it. */
export interface ViewFile {
  /** Path inside the image, no leading slash ("usr/lib/python3/dist-packages/x/METADATA"). */
  path: string;
  type: 'file' | 'dir' | 'symlink';
  size: number;
  mode: number;
  /** Hex sha256 of the content (regular files; absent when hashing was off). */
  sha256?: string;
  /** Hex md5 of the content, computed only where a package database could own the file (see image/md5-paths). */
  md5?: string;
  /** Raw symlink target, for symlinks. */
  linkTarget?: string;
  /** Index of the layer (0 = bottom) that brought this path. */
  layer: number;
  /** What a probe found in this file, when one ran. */
  facts?: ProbeFacts;
}

/** Read access to the merged tree: lookups, symlink resolution confined to the image root, children. */
export interface FileView {
  /** The entry at exactly this path (symlinks not followed). */
  get(path: string): ViewFile | undefined;
  /** The entry this path leads to, following symlinks inside the image root; undefined on loops or escapes. */
  resolve(path: string): ViewFile | undefined;
  /** Direct children of a directory path ("" is the root), sorted by name. */
  children(dir: string): ViewFile[];
  /** Every entry, sorted by path. */
  all(): Iterable<ViewFile>;
}

/** Where a component was found: a path and the layer index that brought it. */
export interface Location {
  path: string;
  layer: number;
}

/** A file belonging to a component (a model or dataset file), with its digest. */
export interface InvFile {
  path: string;
  size: number;
  sha256?: string;
  layer: number;
  /** The path the content was read from when `path` is a symlink (e.g. a Hugging Face cache blob). */
  resolvedFrom?: string;
  /** Format facts of this file (safetensors header summary, GGUF metadata…). */
  facts?: ProbeFacts;
}

/** An OS or language package. */
export interface InvPackage {
  ecosystem: 'deb' | 'apk' | 'pypi' | 'npm';
  name: string;
  version: string;
  purl: string;
  /** SPDX ids or expressions when known, else free-text license names. */
  licenses: string[];
  location: Location;
  arch?: string;
  description?: string;
  supplier?: string;
}

/** Facts from a model card (README front matter) and config.json. */
export interface ModelCard {
  task?: string;
  architectures?: string[];
  modelType?: string;
  datasets?: string[];
  baseModel?: string[];
  libraryName?: string;
  /** The card's raw license id ("mit", "other"…). */
  license?: string;
  licenseName?: string;
  licenseLink?: string;
  language?: string[];
  tags?: string[];
}

/** A machine-learning model: a folder (or a lone weights file) and its files. */
export interface InvModel {
  name: string;
  /** The folder (or file) path in the image. */
  path: string;
  version?: string;
  purl?: string;
  /** SPDX ids (HF ids mapped) or free-text names. */
  licenses: string[];
  card: ModelCard;
  /** Weight formats found: safetensors, gguf, onnx, pytorch, pickle, keras, h5, tflite. */
  formats: string[];
  /** True when any weights file is (or contains) a Python pickle. */
  pickle: boolean;
  files: InvFile[];
  source?: { url?: string; commit?: string };
  /** Total parameter count when a weights header says it. */
  parameters?: number;
  warnings: string[];
  /** The signed attestation this model was checked against (set by the build gate). */
  attestation?: { bundleDigest?: string; subjectDigest: string; source?: string; commit?: string; signer?: string };
}

/** A dataset: a folder with a dataset card and data files, or a lone data file. */
export interface InvDataset {
  name: string;
  path: string;
  formats: string[];
  licenses: string[];
  files: InvFile[];
  description?: string;
  /** The git commit (clone HEAD or Hugging Face cache snapshot), when known. */
  version?: string;
  source?: { url?: string; commit?: string };
  warnings: string[];
}

/** Something the scanner or a cataloger could not account for, with the reason. */
export interface Unknown {
  path?: string;
  layer?: number;
  reason: string;
}

/** What catalogers found. */
export interface CatalogResult {
  packages: InvPackage[];
  models: InvModel[];
  datasets: InvDataset[];
  unknowns: Unknown[];
  /** The OS of the image from /etc/os-release, when present. */
  os?: { id: string; versionId?: string; name?: string; prettyName?: string };
}

/** A probe a cataloger wants run over files that match. */
export interface ProbeRule {
  /** A short name, used as the facts' `kind` owner. */
  name: string;
  /** True when this rule wants to see this file. `path` has no leading slash. */
  match(path: string, size: number): boolean;
  create(path: string, size: number): Probe;
}

/** A cataloger: declares the probes it needs while layers stream, then reads the merged view. */
export interface Cataloger {
  name: string;
  probes: ProbeRule[];
  catalog(view: FileView, out: CatalogResult): void;
}
