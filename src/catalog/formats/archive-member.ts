// What every archive walker shares: the bounds of one top-level archive, the listing it fills, and the sink that
// hashes one member's bytes and feeds them to the member probe (or to a nested archive's probe).
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { Probe } from '../probe.js';
import { ARCHIVE_HEAD, archiveKindOf } from './archive-magic.js';
import type { ArchiveFacts, ArchiveKind, ArchiveMember, ArchiveOptions, MemberProbeFactory } from './archive-types.js';

/** Options with their defaults applied. */
export type ResolvedOptions = Required<Omit<ArchiveOptions, 'memberProbe'>> & { memberProbe?: MemberProbeFactory };

/** Fills in the defaults of archive options. */
export function resolveOptions(o: ArchiveOptions = {}): ResolvedOptions {
  return {
    memberProbe: o.memberProbe,
    maxDepth: o.maxDepth ?? 3,
    maxTotalBytes: o.maxTotalBytes ?? 8 * 1024 ** 3,
    maxMembers: o.maxMembers ?? 100_000,
    maxRatio: o.maxRatio ?? 1000,
    ratioFloor: o.ratioFloor ?? 64 * 1024 * 1024,
    zipTailCap: o.zipTailCap ?? 16 * 1024 * 1024,
  };
}

/** Counters shared by a top-level archive and everything nested in it; `stopped` names the bound that was passed. */
export class Budget {
  /** Bytes of the top-level archive fed so far. */
  fed = 0;
  inflated = 0;
  members = 0;
  stopped: string | undefined;

  constructor(private readonly o: ResolvedOptions) {}

  /** Counts decompressed bytes; false once a bound is passed. */
  inflate(n: number): boolean {
    this.inflated += n;
    if (this.stopped) return false;
    if (this.inflated > this.o.maxTotalBytes) this.stopped = `more than ${this.o.maxTotalBytes} decompressed bytes`;
    else if (this.inflated > this.o.ratioFloor && this.inflated > this.o.maxRatio * Math.max(1, this.fed)) {
      this.stopped = `compression ratio above ${this.o.maxRatio}:1 (${this.inflated} bytes from ${this.fed}): a decompression bomb`;
    }
    return !this.stopped;
  }

  /** Counts one member; false once there are too many. */
  member(): boolean {
    if (++this.members > this.o.maxMembers && !this.stopped) this.stopped = `more than ${this.o.maxMembers} members`;
    return !this.stopped;
  }
}

/** Opens a nested archive's probe (the archive probe itself, one level deeper). */
export type NestedOpener = (path: string, size: number, kind: ArchiveKind, ctx: ArchiveContext) => Probe;

/** Where a walker is: options, shared budget, nesting level (1 = top) and how to open nested archives. */
export interface ArchiveContext {
  opts: ResolvedOptions;
  budget: Budget;
  depth: number;
  nested: NestedOpener;
}

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

/** Size passed to member probes when a member's size is not known until it ends. */
export const UNKNOWN_SIZE = Number.MAX_SAFE_INTEGER;

/** One member's bytes: hashed (sha256, crc32), sniffed for a nested archive, fed to the member probe. */
export class MemberSink {
  /** Bytes seen. */
  size = 0;
  /** CRC-32 of the bytes seen, when asked for (zip checks it). */
  crc = 0;
  private readonly hash = createHash('sha256');
  private head: Buffer[] | undefined = [];
  private headLen = 0;
  private probe: Probe | undefined;
  private nested: Probe | undefined;
  private nestedKind: ArchiveKind | undefined;
  private deep = false;
  private probeWants = true;
  private nestedWants = true;

  constructor(
    private readonly ctx: ArchiveContext,
    private readonly listing: Listing,
    readonly path: string,
    private readonly declared: number,
    private readonly withCrc = false,
  ) {}

  /** Takes the next bytes (memory may be reused after the call); false once the archive's bounds were passed. */
  write(chunk: Buffer): boolean {
    this.size += chunk.length;
    this.hash.update(chunk);
    if (this.withCrc) this.crc = crc32(chunk, this.crc);
    if (this.head) {
      this.head.push(Buffer.from(chunk));
      this.headLen += chunk.length;
      if (this.headLen >= ARCHIVE_HEAD) this.decide();
    } else {
      this.feed(chunk);
    }
    return !this.ctx.budget.stopped;
  }

  /** Ends the member and lists it; `unopened` marks content that was not (fully) read. */
  finish(unopened?: string, compressedSize?: number): ArchiveMember {
    if (this.head) this.decide();
    const m: ArchiveMember = { path: this.path, size: unopened ? Math.max(this.size, this.declared) : this.size };
    if (unopened) {
      m.unopened = unopened;
      if (compressedSize !== undefined) m.compressedSize = compressedSize;
    } else {
      m.sha256 = this.hash.digest('hex');
    }
    if (this.probe) m.facts = safeEnd(this.probe, this.size);
    if (this.nested) {
      const f = safeEnd(this.nested, this.size) as ArchiveFacts;
      m.archive = summary(f);
      this.listing.members.push(m);
      this.listing.absorb(this.path, f);
      return m;
    }
    if (this.nestedKind && this.deep) {
      m.archive = { archive: this.nestedKind, memberCount: 0, unopened: `nested deeper than ${this.ctx.opts.maxDepth} archives` };
      this.listing.warn(`${this.path}: ${this.nestedKind} archive nested deeper than ${this.ctx.opts.maxDepth} levels, not opened`);
    }
    this.listing.members.push(m);
    return m;
  }

  private decide(): void {
    const head = Buffer.concat(this.head!);
    this.head = undefined;
    const size = this.declared >= 0 ? this.declared : UNKNOWN_SIZE;
    this.nestedKind = archiveKindOf(head);
    if (this.nestedKind && this.ctx.depth < this.ctx.opts.maxDepth) {
      const ctx = { ...this.ctx, depth: this.ctx.depth + 1 };
      this.nested = this.ctx.nested(this.path, size, this.nestedKind, ctx);
    } else if (this.nestedKind) {
      this.deep = true;
    }
    try {
      this.probe = this.ctx.opts.memberProbe?.(this.path, size, this.ctx.depth);
    } catch (e) {
      this.listing.warn(`${this.path}: member probe failed: ${(e as Error).message}`);
    }
    if (head.length > 0) this.feed(head);
  }

  // A probe that said "no more" is fed nothing further; end() is still asked once, at the member's end.
  private feed(chunk: Buffer): void {
    if (this.probe && this.probeWants) this.probeWants = safeUpdate(this.probe, chunk);
    if (this.nested && this.nestedWants) this.nestedWants = safeUpdate(this.nested, chunk);
  }
}

function summary(f: ArchiveFacts): ArchiveMember['archive'] {
  const s: NonNullable<ArchiveMember['archive']> = { archive: f.archive, memberCount: f.memberCount };
  if (f.compression) s.compression = f.compression;
  if (f.unopened) s.unopened = f.unopened;
  return s;
}

function safeUpdate(p: Probe, chunk: Buffer): boolean {
  try {
    return p.update(chunk);
  } catch {
    return false;
  }
}

function safeEnd(p: Probe, size: number): ReturnType<Probe['end']> {
  try {
    return p.end(size);
  } catch (e) {
    return { kind: 'error', warnings: [`probe failed: ${(e as Error).message}`] };
  }
}
