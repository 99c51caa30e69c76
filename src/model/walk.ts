// Walking a model folder: regular files with sizes, ignored paths skipped, --include/--exclude applied, and
// symlinks and special files reported (OMS allow_symlinks: false) instead of followed.
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { DEFAULT_IGNORE_PATHS, isIgnoredPath } from '../attest/model-statement.js';
import { describeError, fail } from '../core/errors.js';

/** A regular file found in the model folder. */
export interface FoundFile {
  /** POSIX path relative to the model root. */
  path: string;
  size: number;
}

/** A path that cannot be part of a signed model. */
export interface WalkProblem {
  kind: 'symlink' | 'special-file';
  path: string;
}

/** What a walk found. */
export interface WalkResult {
  files: FoundFile[];
  problems: WalkProblem[];
}

/** Which paths to take: globs (picomatch, dotfiles included) over root-relative paths; a bare folder name means all below it. */
export interface PathFilter {
  include?: string[];
  exclude?: string[];
  /** Paths taken whatever include says (the model card), unless exclude names them: exclude always wins. */
  always?: string[];
}

/** Compiles a filter into a predicate over root-relative paths. */
export function pathMatcher(filter: PathFilter): (path: string) => boolean {
  const compile = (globs: string[]): ((p: string) => boolean) => {
    const expanded = globs.flatMap((g) => {
      const clean = g.replace(/^\.\//, '').replace(/\/+$/, '');
      return [clean, `${clean}/**`];
    });
    return picomatch(expanded, { dot: true });
  };
  const inc = filter.include && filter.include.length > 0 ? compile(filter.include) : () => true;
  const exc = filter.exclude && filter.exclude.length > 0 ? compile(filter.exclude) : () => false;
  const always = new Set(filter.always ?? []);
  return (p) => !exc(p) && (always.has(p) || inc(p));
}

/** Walks `root` (a folder) recursively without following links; `only` restricts the walk to those root-level names. */
export async function walkModel(root: string, filter: PathFilter = {}, only?: string[]): Promise<WalkResult> {
  const take = pathMatcher(filter);
  const out: WalkResult = { files: [], problems: [] };
  const visit = async (rel: string): Promise<void> => {
    const abs = rel === '' ? root : join(root, rel);
    let names: string[];
    try {
      names = (await readdir(abs)).sort();
    } catch (e) {
      fail('BAD_TARGET', `cannot read model folder ${abs}: ${describeError(e)}`, { cause: e });
    }
    for (const name of names) {
      const path = rel === '' ? name : `${rel}/${name}`;
      if (only && rel === '' && !only.includes(name)) continue;
      if (isIgnoredPath(path, DEFAULT_IGNORE_PATHS)) continue;
      const st = await lstat(join(root, path));
      if (st.isDirectory()) await visit(path);
      else if (!take(path)) continue;
      else if (st.isFile()) out.files.push({ path, size: st.size });
      else out.problems.push({ kind: st.isSymbolicLink() ? 'symlink' : 'special-file', path });
    }
  };
  await visit('');
  return out;
}
