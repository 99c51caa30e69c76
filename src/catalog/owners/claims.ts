// Collects package claims on files; when several packages claim one file, the strongest claim stands.
import type { FileView, ViewFile } from '../types.js';
import type { PackageClaim, PackageFileState } from './types.js';

// A verified claim accounts for the bytes; a modified one must not hide behind a claim that checked nothing.
const RANK: Record<PackageFileState, number> = { verified: 4, modified: 3, 'conffile-modified': 2, unverified: 1 };

/** Package claims by resolved image path (regular files only). */
export class Claims {
  readonly byPath = new Map<string, PackageClaim>();

  constructor(private readonly view: FileView) {}

  // Resolved folder paths ("bin" → "usr/bin" on merged-usr images); null when the folder does not resolve.
  private readonly dirs = new Map<string, string | null>();

  /** The regular file a package path leads to (leading slash optional, symlinked folders followed; a final symlink too when `follow`). */
  target(path: string, follow = true): ViewFile | undefined {
    const rel = path.startsWith('/') ? path.slice(1) : path;
    let f = this.view.get(rel);
    if (f === undefined) {
      // Usually a symlinked folder on the way: resolve the folder once, then look the name up in it.
      const slash = rel.lastIndexOf('/');
      const dir = slash === -1 ? '' : this.dir(rel.slice(0, slash));
      if (dir === null) return undefined;
      f = this.view.get(dir === '' ? rel.slice(slash + 1) : `${dir}/${rel.slice(slash + 1)}`);
    }
    if (f?.type === 'symlink' && follow) f = this.view.resolve(f.path);
    return f?.type === 'file' ? f : undefined;
  }

  private dir(path: string): string | null {
    let d = this.dirs.get(path);
    if (d === undefined) {
      const f = this.view.resolve(path);
      d = f?.type === 'dir' ? f.path : null;
      this.dirs.set(path, d);
    }
    return d;
  }

  /** Records a claim on a resolved path, keeping the stronger one. */
  add(path: string, claim: PackageClaim): void {
    const prev = this.byPath.get(path);
    if (prev === undefined || RANK[claim.state] > RANK[prev.state]) this.byPath.set(path, claim);
  }

  /** Claims a package path checked against a recorded digest (or unchecked when `want` is undefined). */
  check(path: string, id: string, alg: 'md5' | 'sha256', want: string | undefined, modifiedState: PackageFileState = 'modified'): void {
    // A listed symlink without a digest claims nothing: the file it points to is listed in its own right.
    const f = this.target(path, want !== undefined);
    if (f === undefined) return;
    const got = alg === 'md5' ? f.md5 : f.sha256;
    if (want === undefined || got === undefined) this.add(f.path, { id, state: 'unverified' });
    else if (want.toLowerCase() === got) this.add(f.path, { id, state: 'verified' });
    else this.add(f.path, { id, state: modifiedState, alg, want: want.toLowerCase(), got });
  }
}
