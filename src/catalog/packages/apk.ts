// The apk cataloger: installed Alpine packages from lib/apk/db/installed.
import type { Cataloger, CatalogResult, FileView } from '../types.js';
import { distroQualifier, osReleaseRule, readOsRelease } from './os-release.js';
import { purl } from './purl.js';
import { MiB, textOf, textRule } from './text-probe.js';

const INSTALLED = 'lib/apk/db/installed';

/** One package record of the apk installed database. */
export interface ApkRecord {
  name: string;
  version: string;
  arch?: string;
  license?: string;
  origin?: string;
  maintainer?: string;
  description?: string;
}

/** Captures the apk installed database. */
export const apkInstalledRule = textRule('apk-installed', (path) => path === INSTALLED, 64 * MiB);

/** Parses the apk installed database: blank-line separated records of single-letter "X:value" lines. */
export function parseApkInstalled(text: string, truncated = false): { records: ApkRecord[]; problems: string[] } {
  const blocks = text.split(/\r?\n\s*\r?\n/).filter((b) => b.trim() !== '');
  if (truncated) blocks.pop();
  const records: ApkRecord[] = [];
  const problems: string[] = [];
  for (const block of blocks) {
    const kv = new Map<string, string>();
    for (const line of block.split(/\r?\n/)) {
      const m = /^([A-Za-z]):(.*)$/.exec(line);
      if (m !== null && !kv.has(m[1] as string)) kv.set(m[1] as string, (m[2] as string).trim());
    }
    const name = kv.get('P');
    const version = kv.get('V');
    if (name === undefined || name === '' || version === undefined || version === '') {
      problems.push(`apk database record without ${name ? `V: (${name})` : 'P:'}`);
      continue;
    }
    const rec: ApkRecord = { name, version };
    const opt = (key: string, prop: Exclude<keyof ApkRecord, 'name' | 'version'>): void => {
      const v = kv.get(key);
      if (v !== undefined && v !== '') rec[prop] = v;
    };
    opt('A', 'arch');
    opt('L', 'license');
    opt('o', 'origin');
    opt('m', 'maintainer');
    opt('T', 'description');
    records.push(rec);
  }
  return { records, problems };
}

/** Reads lib/apk/db/installed into apk packages located at the database file. */
export const apkCataloger: Cataloger = {
  name: 'apk',
  probes: [osReleaseRule, apkInstalledRule],
  catalog(view: FileView, out: CatalogResult) {
    const file = view.get(INSTALLED);
    if (file === undefined || file.type !== 'file') return;
    const text = textOf(file);
    if (text === undefined) {
      out.unknowns.push({ path: file.path, layer: file.layer, reason: 'apk database was not captured' });
      return;
    }
    const os = readOsRelease(view);
    const namespace = os?.id ?? 'alpine';
    const distro = distroQualifier(os);
    const { records, problems } = parseApkInstalled(text.text, text.truncated);
    if (text.truncated) {
      out.unknowns.push({ path: file.path, layer: file.layer, reason: 'apk database larger than the capture cap; the rest was not read' });
    }
    for (const reason of problems) out.unknowns.push({ path: file.path, layer: file.layer, reason });
    for (const rec of records) {
      out.packages.push({
        ecosystem: 'apk',
        name: rec.name,
        version: rec.version,
        purl: purl({ type: 'apk', namespace, name: rec.name, version: rec.version, qualifiers: { arch: rec.arch, distro } }),
        licenses: rec.license === undefined ? [] : [rec.license],
        location: { path: file.path, layer: file.layer },
        ...(rec.arch !== undefined ? { arch: rec.arch } : {}),
        ...(rec.description !== undefined ? { description: rec.description } : {}),
        ...(rec.maintainer !== undefined ? { supplier: rec.maintainer } : {}),
      });
    }
  },
};
