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
import { gunzippedName, gzipWalk, type GzipState } from './archive-gzip.js';
import { ARCHIVE_HEAD, archiveKindOf } from './archive-magic.js';
import { Budget, resolveOptions, type ArchiveContext } from './archive-budget.js';
import { Listing } from './archive-listing.js';
import { UNKNOWN_SIZE } from './archive-member.js';
import { PushDriver } from './archive-push.js';
import { TarWalker } from './archive-tar.js';
import type { ArchiveFacts, ArchiveKind, ArchiveOptions } from './archive-types.js';
import { zipWalker } from './archive-zip.js';
import { zstdWalker } from './archive-zstd.js';

export { ARCHIVE_HEAD, archiveKindOf, isTarHeader } from './archive-magic.js';
export type { ArchiveFacts, ArchiveKind, ArchiveMember, ArchiveOptions, ArchiveSummary, MemberProbeFactory } from './archive-types.js';

/** A format walker: bytes in, facts out. */
export interface ArchiveWalker {
  write(chunk: Buffer): boolean;
  end(): ArchiveFacts;
}

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
      const f = this.walker ? this.walker.end() : unopenedFacts(this.kind, this.kind ? `${this.kind} archives are not opened` : 'not an archive');
      if (this.ctx.budget.stopped) f.unopened ??= this.ctx.budget.stopped;
      return f;
    } catch (e) {
      return { ...unopenedFacts(this.kind, `internal error: ${(e as Error).message}`) };
    }
  }

  private decide(): boolean {
    const head = Buffer.concat(this.head!);
    this.head = undefined;
    this.kind = archiveKindOf(head);
    const listing = new Listing();
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

function unopenedFacts(kind: ArchiveKind | undefined, reason: string): ArchiveFacts {
  return { kind: 'archive', archive: kind ?? ('unknown' as ArchiveKind), members: [], memberCount: 0, unopened: reason };
}

function tarWalker(ctx: ArchiveContext, listing: Listing, size?: number): ArchiveWalker {
  const t = new TarWalker(ctx, listing, size);
  return {
    write: (chunk) => t.write(chunk),
    end: () => (t.end(), listing.facts('tar')),
  };
}

function gzipWalker(ctx: ArchiveContext, listing: Listing, name: string): ArchiveWalker {
  const st: GzipState = { atBoundary: false };
  const d = new PushDriver((drv) => gzipWalk(ctx, listing, st, name, drv));
  return {
    write: (chunk) => d.write(chunk) && !ctx.budget.stopped,
    end: () => {
      const status = d.end();
      let cut: string | undefined;
      if (status === 'failed') cut = `malformed gzip: ${d.failure}`;
      else if (status === 'eof' && !st.atBoundary) cut = 'the gzip stream ends early (truncated)';
      else if (ctx.budget.stopped) cut = ctx.budget.stopped;
      if (cut && cut !== ctx.budget.stopped) listing.warn(cut);
      st.out?.end(cut);
      const tar = st.out?.isTar === true;
      return listing.facts(tar ? 'tar' : 'gzip', tar ? 'gzip' : undefined);
    },
  };
}
