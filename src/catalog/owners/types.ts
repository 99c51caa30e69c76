// Who owns each regular file of an image: a package (digest-checked where it records digests), a model, the build
// context, or nobody.

/** How a package's claim on a file held up against the package's own recorded digest. */
export type PackageFileState =
  /** The bytes match the digest the package recorded. */
  | 'verified'
  /** The package lists the file but records no digest we could check (npm, apk, .pyc, no md5 computed). */
  | 'unverified'
  /** A conffile whose bytes differ from the packaged ones: admins may change these, so it is not a finding. */
  | 'conffile-modified'
  /** The bytes differ from the package's recorded digest: a finding. */
  | 'modified';

/** The owner of one regular file. */
export type FileOwner =
  | {
      kind: 'package';
      /** `<ecosystem>:<name>`, e.g. "deb:bash", "pypi:numpy", "npm:@scope/x", "apk:musl". */
      id: string;
      state: PackageFileState;
      /** For modified files: the digest algorithm and the recorded (want) and actual (got) hex digests. */
      alg?: 'md5' | 'sha256';
      want?: string;
      got?: string;
    }
  | { kind: 'model'; name: string }
  | { kind: 'context' }
  | { kind: 'unaccounted' };

/** Owners of every regular file of a view, by path (no leading slash). */
export type FileOwners = Map<string, FileOwner>;

/** A package's claim on one path, before claims are merged. */
export interface PackageClaim {
  id: string;
  state: PackageFileState;
  alg?: 'md5' | 'sha256';
  want?: string;
  got?: string;
}
