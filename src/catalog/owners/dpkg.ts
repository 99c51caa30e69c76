// dpkg file ownership: info/<pkg>.list (owned paths), .md5sums (checked by md5), status Conffiles, diversions.
import type { FileView, ProbeRule } from '../types.js';
import { claimedFiles, MiB, textOf, textRule } from '../packages/text-probe.js';
import { dpkgStatusDRule } from '../packages/dpkg.js';
import { parseDpkgStatus } from '../packages/dpkg-status.js';
import type { Claims } from './claims.js';

const INFO = /^var\/lib\/dpkg\/info\/([^/]+)\.(list|md5sums)$/;
const STATUS_D_MD5 = /^var\/lib\/dpkg\/status\.d\/([^/]+)\.md5sums$/;
const DIVERSIONS = 'var/lib/dpkg/diversions';

/** Captures dpkg's per-package file lists and md5sums, distroless status.d md5sums, and the diversions file. */
export const dpkgFilesRule: ProbeRule = textRule(
  'dpkg-files',
  (path) => INFO.test(path) || STATUS_D_MD5.test(path) || path === DIVERSIONS,
  16 * MiB,
);

// A diverted path: packages other than `by` that ship `from` have it installed at `to`.
type Diversions = Map<string, { to: string; by: string }>;

function diversions(view: FileView): Diversions {
  const out: Diversions = new Map();
  const lines = (textOf(view.get(DIVERSIONS))?.text ?? '').split('\n');
  for (let i = 0; i + 2 < lines.length; i += 3) out.set(lines[i] as string, { to: lines[i + 1] as string, by: lines[i + 2] as string });
  return out;
}

// "bash", "libc6:amd64" → "bash", "libc6" (the package name without its architecture).
function packageOf(fileStem: string): string {
  const colon = fileStem.indexOf(':');
  return colon === -1 ? fileStem : fileStem.slice(0, colon);
}

function installedPath(path: string, pkg: string, div: Diversions): string {
  const d = div.get(path);
  return d !== undefined && d.by !== pkg ? d.to : path;
}

/** Claims every file the dpkg database lists: md5sums entries and conffiles checked by md5, other listed files unchecked. */
export function dpkgClaims(view: FileView, claims: Claims): void {
  const div = diversions(view);
  for (const file of claimedFiles(view, dpkgFilesRule)) {
    const m = INFO.exec(file.path) ?? STATUS_D_MD5.exec(file.path);
    const text = m === null ? undefined : textOf(file);
    if (m === null || text === undefined) continue;
    const pkg = packageOf(m[1] as string);
    const id = `deb:${pkg}`;
    for (const line of text.text.split('\n')) {
      if (m[2] === 'list') {
        if (line.startsWith('/')) claims.check(installedPath(line, pkg, div), id, 'md5', undefined);
        continue;
      }
      // md5sums: "<32 hex>  <path without leading slash>"
      const sp = line.indexOf(' ');
      if (sp !== 32) continue;
      const path = `/${line.slice(sp).trimStart()}`;
      claims.check(installedPath(path, pkg, div), id, 'md5', line.slice(0, 32));
    }
  }
  const status = view.get('var/lib/dpkg/status');
  const dbs = [...(status?.type === 'file' ? [{ file: status, requireStatus: true }] : []), ...[...claimedFiles(view, dpkgStatusDRule)].map((file) => ({ file, requireStatus: false }))];
  for (const { file, requireStatus } of dbs) {
    const text = textOf(file);
    if (text === undefined) continue;
    for (const rec of parseDpkgStatus(text.text, { requireStatus, truncated: text.truncated }).records) {
      for (const c of rec.conffiles ?? []) claims.check(installedPath(c.path, rec.name, div), `deb:${rec.name}`, 'md5', c.md5, 'conffile-modified');
    }
  }
}
