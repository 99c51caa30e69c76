// The sink that hashes one member's bytes and feeds them to the member probe (or to a nested archive's probe).
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { Probe } from '../probe.js';
import { ARCHIVE_HEAD, archiveKindOf } from './archive-magic.js';
import type { ArchiveContext } from './archive-budget.js';
import type { Listing } from './archive-listing.js';
import type { ArchiveFacts, ArchiveKind, ArchiveMember } from './archive-types.js';

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
