// Collects package claims on files; when several packages claim one file, the strongest claim stands.
import type { FileView } from '../types.js';
import type { PackageClaim, PackageFileState } from './types.js';

// A verified claim accounts for the bytes; a modified one must not hide behind a claim that checked nothing.
const RANK: Record<PackageFileState, number> = { verified: 4, modified: 3, 'conffile-modified': 2, unverified: 1 };

/** Package claims by resolved image path (regular files only). */
export class Claims {
  readonly byPath = new Map<string, PackageClaim>();

  constructor(private readonly view: FileView) {}

  /** The regular file a package path leads to (leading slash optional, symlinked folders followed), or undefined. */
  target(path: string): { path: string; sha256?: string; md5?: string } | undefined {
    const rel = path.startsWith('/') ? path.slice(1) : path;
    const direct = this.view.get(rel);
    const f = direct !== undefined && direct.type === 'file' ? direct : this.view.resolve(rel);
    return f !== undefined && f.type === 'file' ? f : undefined;
  }

  /** Records a claim on a resolved path, keeping the stronger one. */
  add(path: string, claim: PackageClaim): void {
    const prev = this.byPath.get(path);
    if (prev === undefined || RANK[claim.state] > RANK[prev.state]) this.byPath.set(path, claim);
  }

  /** Claims a package path checked against a recorded digest (or unchecked when `want` is undefined). */
  check(path: string, id: string, alg: 'md5' | 'sha256', want: string | undefined, modifiedState: PackageFileState = 'modified'): void {
    const f = this.target(path);
    if (f === undefined) return;
    const got = alg === 'md5' ? f.md5 : f.sha256;
    if (want === undefined || got === undefined) this.add(f.path, { id, state: 'unverified' });
    else if (want.toLowerCase() === got) this.add(f.path, { id, state: 'verified' });
    else this.add(f.path, { id, state: modifiedState, alg, want: want.toLowerCase(), got });
  }
}
