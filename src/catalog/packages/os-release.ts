// The image's operating system, from os-release (etc/os-release, else usr/lib/os-release).
import type { Cataloger, FileView } from '../types.js';
import { KiB, textOf, textRule } from './text-probe.js';

/** The os-release fields mlbuild uses. */
export interface OsRelease {
  id: string;
  versionId?: string;
  versionCodename?: string;
  name?: string;
  prettyName?: string;
}

const PATHS = ['etc/os-release', 'usr/lib/os-release'];

/** Captures both os-release locations (small files). */
export const osReleaseRule = textRule('os-release', (path) => PATHS.includes(path), 64 * KiB);

function unquote(raw: string): string {
  const v = raw.trim();
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1);
  return v;
}

/** Parses os-release text: shell-style KEY=value assignments, quotes removed, comments skipped. */
export function parseOsRelease(text: string): OsRelease {
  const kv = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Z0-9_]+)\s*=(.*)$/.exec(line);
    if (m !== null) kv.set(m[1] as string, unquote(m[2] as string));
  }
  const get = (k: string): string | undefined => {
    const v = kv.get(k);
    return v === undefined || v === '' ? undefined : v;
  };
  const os: OsRelease = { id: get('ID') ?? 'linux' };
  const versionId = get('VERSION_ID');
  const versionCodename = get('VERSION_CODENAME');
  const name = get('NAME');
  const prettyName = get('PRETTY_NAME');
  if (versionId !== undefined) os.versionId = versionId;
  if (versionCodename !== undefined) os.versionCodename = versionCodename;
  if (name !== undefined) os.name = name;
  if (prettyName !== undefined) os.prettyName = prettyName;
  return os;
}

/** Reads the image's os-release through the view (following the usual etc → usr/lib symlink), if captured. */
export function readOsRelease(view: FileView): OsRelease | undefined {
  for (const path of PATHS) {
    const text = textOf(view.resolve(path));
    if (text !== undefined) return parseOsRelease(text.text);
  }
  return undefined;
}

/** The `distro` purl qualifier for an OS: "<id>-<version id>", else "<id>-<codename>", else undefined. */
export function distroQualifier(os: OsRelease | undefined): string | undefined {
  if (os === undefined) return undefined;
  const v = os.versionId ?? os.versionCodename;
  return v === undefined ? undefined : `${os.id}-${v}`;
}

/** Sets `out.os` from os-release. */
export const osReleaseCataloger: Cataloger = {
  name: 'os-release',
  probes: [osReleaseRule],
  catalog(view, out) {
    const os = readOsRelease(view);
    if (os === undefined) return;
    out.os = { id: os.id };
    if (os.versionId !== undefined) out.os.versionId = os.versionId;
    if (os.name !== undefined) out.os.name = os.name;
    if (os.prettyName !== undefined) out.os.prettyName = os.prettyName;
  },
};
