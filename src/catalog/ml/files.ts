// A component's files: a folder walked recursively (no .git internals), symlinks resolved to their content.
import type { FileView, InvFile, Unknown, ViewFile } from '../types.js';

/** Files of a component, and what could not be accounted for. */
export interface CollectedFiles {
  files: InvFile[];
  unknowns: Unknown[];
  warnings: string[];
}

/** Folder names never walked into: git internals are not part of a model's content. */
const SKIP_DIRS = new Set(['.git']);

/** The InvFile for one entry, following a symlink to the content it names; undefined when it cannot be resolved. */
export function invFileOf(view: FileView, f: ViewFile, acc: CollectedFiles): InvFile | undefined {
  if (f.type === 'file') return withFacts({ path: f.path, size: f.size, layer: f.layer }, f);
  if (f.type !== 'symlink') return undefined;
  const target = view.resolve(f.path);
  if (!target) {
    acc.unknowns.push({ path: f.path, layer: f.layer, reason: `symlink to ${f.linkTarget ?? '?'} escapes the image root, loops or dangles` });
    acc.warnings.push(`${f.path}: symlink to ${f.linkTarget ?? '?'} could not be resolved`);
    return undefined;
  }
  if (target.type !== 'file') {
    // A link to a folder inside a model folder: its files are judged where they lie, but the link itself is not
    // content an attestation can list (OMS: allow_symlinks false), so the folder cannot match one as it stands.
    acc.warnings.push(`${f.path}: symlink to the directory ${f.linkTarget ?? '?'}`);
    return { path: f.path, size: 0, layer: f.layer, resolvedFrom: target.path };
  }
  return withFacts({ path: f.path, size: target.size, layer: target.layer, resolvedFrom: target.path }, target);
}

function withFacts(file: InvFile, from: ViewFile): InvFile {
  if (from.sha256) file.sha256 = from.sha256;
  if (from.facts) file.facts = from.facts;
  return file;
}

/** Walks `dir` recursively (skipping .git/ and the folders in `exclude`) and returns its files sorted by path. */
export function collectFiles(view: FileView, dir: string, exclude: ReadonlySet<string> = new Set()): CollectedFiles {
  const acc: CollectedFiles = { files: [], unknowns: [], warnings: [] };
  const walk = (d: string): void => {
    for (const child of view.children(d)) {
      const name = child.path.slice(child.path.lastIndexOf('/') + 1);
      if (child.type === 'dir') {
        if (!SKIP_DIRS.has(name) && !exclude.has(child.path)) walk(child.path);
        continue;
      }
      const inv = invFileOf(view, child, acc);
      if (inv) acc.files.push(inv);
    }
  };
  walk(dir);
  acc.files.sort((a, b) => cmp(a.path, b.path));
  return acc;
}

/** Collects a given list of entries (a lone file or a set of shards). */
export function collectEntries(view: FileView, entries: ViewFile[]): CollectedFiles {
  const acc: CollectedFiles = { files: [], unknowns: [], warnings: [] };
  for (const e of entries) {
    const inv = invFileOf(view, e, acc);
    if (inv) acc.files.push(inv);
  }
  acc.files.sort((a, b) => cmp(a.path, b.path));
  return acc;
}

/** Code-unit string order, for deterministic output. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
