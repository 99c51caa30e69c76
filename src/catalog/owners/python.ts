// Python file ownership: dist-info RECORD rows (path, sha256=<urlsafe base64>, size), checked against the image.
import type { FileView, ProbeRule } from '../types.js';
import { claimedFiles, MiB, textOf, textRule } from '../packages/text-probe.js';
import { normalizePythonName } from '../packages/python.js';
import type { Claims } from './claims.js';

const RECORD = /(^|\/)(site|dist)-packages\/([^/]+)\.dist-info\/RECORD$/;

/** Captures installed distributions' RECORD files. */
export const pythonRecordRule: ProbeRule = textRule('python-record', (path) => RECORD.test(path), 16 * MiB);

/** Splits one CSV row (RFC 4180 quoting, as Python's csv module writes it). */
export function csvRow(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cur += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  out.push(cur);
  return out;
}

// Joins a RECORD path to its site folder, resolving "." and ".." (scripts live in ../../../bin); undefined on escape.
function joinRelative(site: string, rel: string): string | undefined {
  if (rel.startsWith('/')) return rel;
  const parts = site === '' ? [] : site.split('/');
  for (const p of rel.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(p);
  }
  return parts.join('/');
}

/** The hex sha256 of a RECORD hash field ("sha256=<urlsafe base64, no padding>"), undefined for other or no hashes. */
export function recordSha256(field: string): string | undefined {
  if (!field.startsWith('sha256=')) return undefined;
  const hex = Buffer.from(field.slice(7), 'base64url').toString('hex');
  return hex.length === 64 ? hex : undefined;
}

/** Claims every file a RECORD lists: hashed rows checked by sha256, unhashed rows (RECORD, .pyc) unchecked. */
export function pythonClaims(view: FileView, claims: Claims): void {
  for (const file of claimedFiles(view, pythonRecordRule)) {
    const text = textOf(file);
    const m = RECORD.exec(file.path);
    if (text === undefined || m === null) continue;
    const distInfo = file.path.slice(0, file.path.lastIndexOf('/'));
    const site = distInfo.slice(0, distInfo.lastIndexOf('/'));
    const stem = m[3] as string;
    const id = `pypi:${normalizePythonName(stem.includes('-') ? stem.slice(0, stem.indexOf('-')) : stem)}`;
    const rows = text.text.split(/\r?\n/);
    if (text.truncated) rows.pop();
    for (const row of rows) {
      if (row === '') continue;
      const [rel, hash] = csvRow(row);
      const path = rel === undefined || rel === '' ? undefined : joinRelative(site, rel);
      if (path === undefined) continue;
      const want = hash === undefined ? undefined : recordSha256(hash);
      claims.check(path, id, 'sha256', want);
    }
  }
}
