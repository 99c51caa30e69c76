// Which image paths get an md5 while they stream: only where an OS package database (dpkg md5sums) could own them.

// Top-level folders Debian packages install into (merged-usr or not); /usr/local and /home are never theirs.
const OWNABLE = /^(?:bin|sbin|lib|lib32|lib64|libx32|usr|etc|opt|var|boot|srv)\//;
// Inside those, places only other installers write: /usr/local, virtualenvs and pip's site-packages.
const NEVER = /^usr\/local\/|\/site-packages\/|^var\/tmp\//;

/** True when a package's md5sums could list this path, so the layer scanner computes its md5 next to its sha256. */
export function wantsMd5(path: string): boolean {
  return OWNABLE.test(path) && !NEVER.test(path);
}
