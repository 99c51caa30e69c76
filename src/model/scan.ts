// Scanning a model folder: walk it, set LFS pointers aside (their oid is the digest), hash the rest in parallel.
import { join } from 'node:path';
import type { EventSink } from '../core/events.js';
import { hashFiles, warmHashWorkers } from './hash-pool.js';
import { readLfsPointer } from './lfs.js';
import { walkModel, type PathFilter, type WalkProblem } from './walk.js';

/** A model file with its sha256 (hex) and size; `lfsPointer` when the file on disk is only a Git LFS pointer. */
export interface ScannedFile {
  path: string;
  digest: string;
  size: number;
  lfsPointer?: boolean;
}

/** A scanned model folder. */
export interface ModelScan {
  root: string;
  files: ScannedFile[];
  problems: WalkProblem[];
  /** Files that are LFS pointers (digest and size taken from the pointer). */
  lfs: { path: string; oid: string; size: number }[];
}

/**
 * Scans `root`; `only` limits it to those root-level names (a `file:` source). `started` is called with the paths
 * of all files taken (those the scan will return) once the hash workers have their files (see hashFiles).
 */
export async function scanModel(root: string, opts: { filter?: PathFilter; only?: string[]; workers?: number; events?: EventSink; started?: (paths: string[]) => void } = {}): Promise<ModelScan> {
  warmHashWorkers(opts.workers); // the workers start up while the folder is walked
  const walked = await walkModel(root, opts.filter, opts.only);
  const files: ScannedFile[] = [];
  const lfs: ModelScan['lfs'] = [];
  const toHash: { path: string; size: number }[] = [];
  for (const f of walked.files) {
    const pointer = await readLfsPointer(join(root, f.path), f.size);
    if (pointer) {
      lfs.push({ path: f.path, oid: pointer.oid, size: pointer.size });
      files.push({ path: f.path, digest: pointer.oid, size: pointer.size, lfsPointer: true });
    } else {
      toHash.push({ path: join(root, f.path), size: f.size });
    }
  }
  const hashes = await hashFiles(toHash, {
    workers: opts.workers,
    events: opts.events,
    started: opts.started && (() => opts.started?.(walked.files.map((f) => f.path))),
  });
  for (const f of walked.files) {
    const h = hashes.get(join(root, f.path));
    if (h) files.push({ path: f.path, digest: h.digest, size: h.size });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { root, files, problems: walked.problems, lfs };
}
