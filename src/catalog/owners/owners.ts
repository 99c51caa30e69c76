// Gives every regular file of a merged view an owner: package claims first, then models and the build context.
import type { CatalogResult, FileView } from '../types.js';
import { apkClaims } from './apk.js';
import { Claims } from './claims.js';
import { dpkgClaims } from './dpkg.js';
import { pythonClaims } from './python.js';
import { installedIds, stateClaim } from './state.js';
import type { FileOwner, FileOwners } from './types.js';

const UNACCOUNTED: FileOwner = { kind: 'unaccounted' };
// "pkg/__pycache__/mod.cpython-311.pyc" (or .opt-1.pyc) → "pkg/mod.py": byte code compiled after install.
const PYC = /^(.*?)(?:^|\/)__pycache__\/([^/]+?)\.[a-z]+-\d+(?:\.opt-\d)?\.pyc$/;

// npm: a package's folder (beside its package.json) owns the files below it; the deepest package folder wins.
function npmFolders(catalog: CatalogResult): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of catalog.packages) {
    if (p.ecosystem === 'npm') out.set(p.location.path.slice(0, p.location.path.lastIndexOf('/')), `npm:${p.name}`);
  }
  return out;
}

function npmOwner(path: string, folders: Map<string, string>): string | undefined {
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
    const id = folders.get(path.slice(0, i));
    if (id !== undefined) return id;
  }
  return undefined;
}

// Byte code compiled after install belongs to the package of its source (followed through symlinks).
function pycOwner(path: string, view: FileView, claims: Claims): string | undefined {
  const pyc = PYC.exec(path);
  if (pyc === null) return undefined;
  const source = view.resolve(`${pyc[1] === '' ? '' : `${pyc[1]}/`}${pyc[2]}.py`);
  return source === undefined ? undefined : claims.byPath.get(source.path)?.id;
}

/** Owners of every regular file of the view: package claims (digest-checked where recorded), else unaccounted. */
export function fileOwners(view: FileView, catalog: CatalogResult): FileOwners {
  const claims = new Claims(view);
  dpkgClaims(view, claims);
  pythonClaims(view, claims);
  apkClaims(view, claims);
  const npm = npmFolders(catalog);
  const installed = installedIds(catalog);
  const owners: FileOwners = new Map();
  for (const f of view.all()) {
    if (f.type !== 'file') continue;
    const claim = claims.byPath.get(f.path);
    if (claim !== undefined) {
      owners.set(f.path, { kind: 'package', ...claim });
      continue;
    }
    const id = pycOwner(f.path, view, claims) ?? (npm.size > 0 ? npmOwner(f.path, npm) : undefined) ?? stateClaim(f.path, installed);
    owners.set(f.path, id === undefined ? UNACCOUNTED : { kind: 'package', id, state: 'unverified' });
  }
  return owners;
}

/** The model gate's hook: gives unaccounted files among `paths` (resolved in the view) to a model; returns the paths taken. */
export function claimModelFiles(owners: FileOwners, view: FileView, paths: Iterable<string>, model: string): string[] {
  const taken: string[] = [];
  for (const p of paths) {
    const f = view.resolve(p.startsWith('/') ? p.slice(1) : p);
    if (f !== undefined && owners.get(f.path)?.kind === 'unaccounted') {
      owners.set(f.path, { kind: 'model', name: model });
      taken.push(f.path);
    }
  }
  return taken;
}

/** The build's hook: gives unaccounted files whose sha256 (hex, or "sha256:hex") is a context file's to the context; returns the paths taken. */
export function claimContextFiles(owners: FileOwners, view: FileView, contextSha256: ReadonlySet<string>): string[] {
  const taken: string[] = [];
  for (const [path, owner] of owners) {
    if (owner.kind !== 'unaccounted') continue;
    const sha = view.get(path)?.sha256;
    if (sha !== undefined && (contextSha256.has(sha) || contextSha256.has(`sha256:${sha}`))) {
      owners.set(path, { kind: 'context' });
      taken.push(path);
    }
  }
  return taken;
}
