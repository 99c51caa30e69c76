// The dpkg cataloger: installed Debian packages from the dpkg database, with layer, purl and DEP-5 licenses.
import type { Cataloger, CatalogResult, FileView, ProbeRule, ViewFile } from '../types.js';
import { HeadProbe } from '../probe.js';
import { COPYRIGHT_PATH, copyrightPath, parseDebCopyright } from './deb-copyright.js';
import { parseDpkgStatus } from './dpkg-status.js';
import type { DebRecord } from './dpkg-status.js';
import { distroQualifier, osReleaseRule, readOsRelease } from './os-release.js';
import { purl } from './purl.js';
import { KiB, MiB, claimedFiles, textOf, textRule } from './text-probe.js';

const STATUS = 'var/lib/dpkg/status';
const STATUS_D = /^var\/lib\/dpkg\/status\.d\/[^/.][^/]*$/;

/** Captures the dpkg status file (large: every package's paragraph). */
export const dpkgStatusRule = textRule('dpkg-status', (path) => path === STATUS, 64 * MiB);

/** Captures distroless status.d files (one package each; their .md5sums companions are skipped). */
export const dpkgStatusDRule = textRule(
  'dpkg-status.d',
  (path) => STATUS_D.test(path) && !path.endsWith('.md5sums'),
  1 * MiB,
);

/** Reads Debian copyright files while the layer streams and keeps only their DEP-5 license names (cached per layer). */
export const debCopyrightRule: ProbeRule = {
  name: 'dpkg-copyright',
  match: (path) => COPYRIGHT_PATH.test(path),
  create: () => new HeadProbe(64 * KiB, (head) => ({ kind: 'deb-copyright', licenses: parseDebCopyright(head.toString('utf8')) })),
};

// The layer that installed a package: dpkg rewrites info/<name>[:<arch>].list whenever it (re)installs it.
function installLayer(view: FileView, rec: DebRecord): number | undefined {
  const names = [`${rec.name}.list`];
  if (rec.arch !== undefined) names.push(`${rec.name}:${rec.arch}.list`);
  for (const n of names) {
    const f = view.get(`var/lib/dpkg/info/${n}`);
    if (f !== undefined && f.type === 'file') return f.layer;
  }
  return undefined;
}

function licensesOf(view: FileView, name: string, cache: Map<string, string[]>): string[] {
  const file = view.resolve(copyrightPath(name));
  if (file === undefined) return [];
  let names = cache.get(file.path);
  if (names === undefined) {
    const facts = file.facts;
    names = facts?.kind === 'deb-copyright' && Array.isArray(facts.licenses) ? (facts.licenses as string[]) : [];
    cache.set(file.path, names);
  }
  return [...names];
}

// The database files in reading order: the status file, then status.d entries by path.
function databaseFiles(view: FileView): { file: ViewFile; requireStatus: boolean }[] {
  const files: { file: ViewFile; requireStatus: boolean }[] = [];
  const status = view.get(STATUS);
  if (status !== undefined && status.type === 'file') files.push({ file: status, requireStatus: true });
  for (const file of claimedFiles(view, dpkgStatusDRule)) files.push({ file, requireStatus: false });
  return files;
}

/** Reads the dpkg database into deb packages (installed ones only), one per package name and architecture. */
export const dpkgCataloger: Cataloger = {
  name: 'dpkg',
  probes: [osReleaseRule, dpkgStatusRule, dpkgStatusDRule, debCopyrightRule],
  catalog(view: FileView, out: CatalogResult) {
    const os = readOsRelease(view);
    const namespace = os?.id ?? 'debian';
    const distro = distroQualifier(os);
    const seen = new Set<string>();
    const copyrights = new Map<string, string[]>();
    for (const { file, requireStatus } of databaseFiles(view)) {
      const text = textOf(file);
      if (text === undefined) {
        out.unknowns.push({ path: file.path, layer: file.layer, reason: 'dpkg database file was not captured' });
        continue;
      }
      const parsed = parseDpkgStatus(text.text, { requireStatus, truncated: text.truncated });
      if (text.truncated) {
        out.unknowns.push({ path: file.path, layer: file.layer, reason: 'dpkg database larger than the capture cap; the rest was not read' });
      }
      for (const reason of parsed.problems) out.unknowns.push({ path: file.path, layer: file.layer, reason });
      for (const rec of parsed.records) {
        const key = `${rec.name}:${rec.arch ?? ''}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.packages.push({
          ecosystem: 'deb',
          name: rec.name,
          version: rec.version,
          purl: purl({ type: 'deb', namespace, name: rec.name, version: rec.version, qualifiers: { arch: rec.arch, distro } }),
          licenses: licensesOf(view, rec.name, copyrights),
          location: { path: file.path, layer: installLayer(view, rec) ?? file.layer },
          ...(rec.arch !== undefined ? { arch: rec.arch } : {}),
          ...(rec.description !== undefined ? { description: rec.description } : {}),
          ...(rec.maintainer !== undefined ? { supplier: rec.maintainer } : {}),
        });
      }
    }
  },
};
