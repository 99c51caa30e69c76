// The facts of one archive as its walker fills them: members, findings, warnings, the reason it was not opened.
import type { ArchiveFacts, ArchiveKind, ArchiveMember } from './archive-types.js';

const NOTE_CAP = 1000;

/** The facts of one archive as its walker fills them. */
export class Listing {
  readonly members: ArchiveMember[] = [];
  readonly findings: string[] = [];
  readonly warnings: string[] = [];
  unopened: string | undefined;
  private dropped = 0;

  /** Records a problem that does not suggest tampering (truncation, corruption, unsupported parts). */
  warn(msg: string): void {
    this.note(this.warnings, msg);
  }

  /** Records a sign of tampering or ambiguity. */
  find(msg: string): void {
    this.note(this.findings, msg);
  }

  /** Records why (part of) the archive was not opened; the first reason wins. */
  leaveUnopened(reason: string): void {
    this.unopened ??= reason;
  }

  /** Adds a nested archive's members, findings and warnings under `prefix!`. */
  absorb(prefix: string, f: ArchiveFacts): void {
    for (const m of f.members) this.members.push({ ...m, path: `${prefix}!${m.path}` });
    for (const x of f.findings ?? []) this.find(`${prefix}: ${x}`);
    for (const x of f.warnings ?? []) this.warn(`${prefix}: ${x}`);
  }

  /** The facts object (empty lists left out). */
  facts(archive: ArchiveKind, compression?: 'gzip' | 'zstd'): ArchiveFacts {
    if (this.dropped > 0) this.warnings.push(`${this.dropped} more notes left out`);
    const f: ArchiveFacts = { kind: 'archive', archive, members: this.members, memberCount: this.members.length };
    if (compression) f.compression = compression;
    if (this.unopened) f.unopened = this.unopened;
    if (this.findings.length > 0) f.findings = this.findings;
    if (this.warnings.length > 0) f.warnings = this.warnings;
    return f;
  }

  private note(list: string[], msg: string): void {
    if (list.length < NOTE_CAP) list.push(msg);
    else this.dropped++;
  }
}

/** Why a member name is hostile (absolute, escaping with "..", NUL), or undefined. */
export function memberPathProblem(name: string): string | undefined {
  if (name.includes('\0')) return 'NUL byte in member name';
  if (/^([/\\]|[A-Za-z]:)/.test(name)) return 'absolute member path';
  if (name.split(/[/\\]/).includes('..')) return 'member path escapes the archive ("..")';
  return undefined;
}
