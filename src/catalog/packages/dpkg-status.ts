// The dpkg database: installed-package records from var/lib/dpkg/status or a distroless status.d file.
import { field, firstLine, parseParagraphs } from './deb822.js';

/** One installed Debian package as the dpkg database records it. */
export interface DebRecord {
  name: string;
  /** Exactly as recorded, epoch included ("1:2.38.1-5+b1"). */
  version: string;
  arch?: string;
  /** The source package, when it differs from the binary's name. */
  source?: string;
  /** The source package's version, when it differs from the binary's ("Source: util-linux (2.38.1-5)"). */
  sourceVersion?: string;
  maintainer?: string;
  /** The synopsis: the first line of Description. */
  description?: string;
  /** Conffiles as recorded (path with a leading slash, md5 hex); admins may change them. */
  conffiles?: { path: string; md5: string }[];
}

/** What parsing a database file yielded: installed records and paragraphs that could not be read. */
export interface DebParse {
  records: DebRecord[];
  problems: string[];
}

/**
 * True when a Status field says the package is installed: current state "installed" with no error flag
 * ("install ok installed", "hold ok installed"). Packages that are only configured remnants
 * ("deinstall ok config-files"), half-installed or not-installed are left out.
 */
export function isInstalled(status: string): boolean {
  const words = status.trim().split(/\s+/);
  return words.length === 3 && words[1] === 'ok' && words[2] === 'installed';
}

/**
 * Parses a dpkg database file. `requireStatus` (true for var/lib/dpkg/status) keeps only installed packages;
 * status.d files carry no Status field and every paragraph with one that is not installed is still dropped.
 * `truncated` drops the last paragraph, which may have been cut by the capture cap.
 */
export function parseDpkgStatus(text: string, opts: { requireStatus: boolean; truncated?: boolean }): DebParse {
  const paragraphs = parseParagraphs(text);
  if (opts.truncated === true) paragraphs.pop();
  const result: DebParse = { records: [], problems: [] };
  for (const p of paragraphs) {
    const status = field(p, 'Status');
    if (status === undefined ? opts.requireStatus : !isInstalled(status)) continue;
    const name = firstLine(p, 'Package');
    const version = firstLine(p, 'Version');
    if (name === undefined || version === undefined) {
      result.problems.push(`installed dpkg entry without ${name === undefined ? 'Package' : `Version (${name})`}`);
      continue;
    }
    const record: DebRecord = { name, version };
    const arch = firstLine(p, 'Architecture');
    if (arch !== undefined) record.arch = arch;
    const src = /^(\S+)(?:\s+\((.+)\))?$/.exec(firstLine(p, 'Source') ?? '');
    if (src !== null) {
      record.source = src[1] as string;
      if (src[2] !== undefined) record.sourceVersion = src[2].trim();
    }
    const maintainer = firstLine(p, 'Maintainer');
    if (maintainer !== undefined) record.maintainer = maintainer;
    const description = firstLine(p, 'Description');
    if (description !== undefined) record.description = description;
    const conffiles = conffilesOf(field(p, 'Conffiles'));
    if (conffiles.length > 0) record.conffiles = conffiles;
    result.records.push(record);
  }
  return result;
}

// Conffiles lines: " /etc/path <md5>[ obsolete|remove-on-upgrade]"; "newconffile" entries have no md5 yet.
function conffilesOf(value: string | undefined): { path: string; md5: string }[] {
  const out: { path: string; md5: string }[] = [];
  for (const line of (value ?? '').split('\n')) {
    const m = /^(\/\S.*?)\s+([0-9a-f]{32})(?:\s+\S+)*$/.exec(line.trim());
    if (m !== null) out.push({ path: m[1] as string, md5: m[2] as string });
  }
  return out;
}
