// Archives inside images, opened as streams so weights hidden in a wheel, a jar, a .tar.gz or a zip in a tar are found.
//
// API (for the content-sniffing probe factory):
//   archiveKindOf(head)              -> 'zip' | 'tar' | 'gzip' | 'zstd' | 'xz' | 'bzip2' | '7z' | 'rar' | … | undefined
//                                       from the first ARCHIVE_HEAD (512) bytes; decides which files get archiveProbe.
//   archiveProbe(path, size, opts)   -> a Probe (update(chunk) → want more; end(size) → ArchiveFacts), synchronous like
//                                       every probe: it streams the file once with bounded memory and never throws.
//   ArchiveFacts = { kind: 'archive', archive, compression?, members: ArchiveMember[], memberCount, unopened?,
//                    findings?, warnings? }
//   ArchiveMember = { path, size, sha256?, facts?, unopened?, compressedSize?, archive? }
// Each member's content is hashed in full and fed to `opts.memberProbe(path, size, depth)` (content sniffing goes there;
// size is Number.MAX_SAFE_INTEGER when unknown until the member ends). Nested archives are opened up to
// `opts.maxDepth` levels and their members listed flat as `outer!inner`. zip (stored/deflate), tar, gzip and zstd
// (through the `zstd` binary) are opened; everything else, and anything past a bound (depth, decompressed bytes,
// member count, compression ratio), is listed with an `unopened` reason, never passed silently. `findings` are signs
// of tampering (a zip central directory that disagrees with its local headers); `warnings` are damage or oddities.
import type { Probe } from '../probe.js';
import { gunzippedName, gzipWalker } from './archive-gzip.js';
import { ARCHIVE_HEAD, archiveKindOf } from './archive-magic.js';
import { Budget, resolveOptions, type ArchiveContext } from './archive-budget.js';
import { Listing } from './archive-listing.js';
import { UNKNOWN_SIZE } from './archive-member.js';
import { tarWalker } from './archive-tar.js';
import type { ArchiveFacts, ArchiveKind, ArchiveOptions, ArchiveWalker } from './archive-types.js';
import { zipWalker } from './archive-zip.js';
import { zstdWalker } from './archive-zstd.js';

export { ARCHIVE_HEAD, archiveKindOf, isTarHeader } from './archive-magic.js';
export type { ArchiveFacts, ArchiveKind, ArchiveMember, ArchiveOptions, ArchiveSummary, MemberProbeFactory } from './archive-types.js';

/** A Probe whose facts are an archive's. */
export interface ArchiveProbe extends Probe {
  end(fileSize: number): ArchiveFacts;
}

/** A probe listing the members of the archive at `path` (any format archiveKindOf names); never throws. */
export function archiveProbe(path: string, size: number, opts?: ArchiveOptions): ArchiveProbe {
  const o = resolveOptions(opts);
  return new StreamingArchiveProbe(path, size, { opts: o, budget: new Budget(o), depth: 1, nested: openNested }, true);
}

function openNested(path: string, size: number, _kind: ArchiveKind, ctx: ArchiveContext): Probe {
  return new StreamingArchiveProbe(path, size, ctx, false);
}

class StreamingArchiveProbe implements ArchiveProbe {
  private head: Buffer[] | undefined = [];
  private headLen = 0;
  private walker: ArchiveWalker | undefined;
  private kind: ArchiveKind | undefined;
  private readonly listing = new Listing();
  private wants = true;

  constructor(
    private readonly path: string,
    private readonly size: number,
    private readonly ctx: ArchiveContext,
    private readonly top: boolean,
  ) {}

  update(chunk: Buffer): boolean {
    if (this.top) this.ctx.budget.fed += chunk.length;
    if (!this.head) return this.feed(chunk);
    this.head.push(Buffer.from(chunk));
    this.headLen += chunk.length;
    if (this.headLen < ARCHIVE_HEAD && this.headLen < this.size) return true;
    return this.decide();
  }

  end(_fileSize: number): ArchiveFacts {
    try {
      if (this.head) this.decide();
      const f = this.walker ? this.walker.end() : this.unopened(this.kind ? `${this.kind} archives are not opened` : 'not an archive');
      if (this.ctx.budget.stopped) f.unopened ??= this.ctx.budget.stopped;
      return f;
    } catch (e) {
      return this.unopened(`internal error: ${(e as Error).message}`);
    }
  }

  private decide(): boolean {
    const head = Buffer.concat(this.head!);
    this.head = undefined;
    this.kind = archiveKindOf(head);
    const listing = this.listing;
    const known = this.size >= 0 && this.size < UNKNOWN_SIZE ? this.size : undefined;
    try {
      if (this.kind === 'zip') this.walker = zipWalker(this.ctx, listing);
      else if (this.kind === 'tar') this.walker = tarWalker(this.ctx, listing, known);
      else if (this.kind === 'gzip') this.walker = gzipWalker(this.ctx, listing, gunzippedName(this.path));
      else if (this.kind === 'zstd') this.walker = zstdWalker(this.ctx, listing, gunzippedName(this.path).replace(/\.(zst|zstd|tzst)$/i, ''));
    } catch (e) {
      listing.warn(`could not open: ${(e as Error).message}`);
    }
    return this.walker ? this.feed(head) : false;
  }

  // Facts of an archive left unopened (its format unsupported, or not an archive at all: archive 'unknown').
  private unopened(reason: string): ArchiveFacts {
    this.listing.leaveUnopened(reason);
    return this.listing.facts(this.kind ?? ('unknown' as ArchiveKind));
  }

  private feed(chunk: Buffer): boolean {
    if (!this.walker || !this.wants) return false;
    try {
      this.wants = this.walker.write(chunk);
    } catch {
      this.wants = false;
    }
    return this.wants;
  }
}

