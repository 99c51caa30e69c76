// Tar archives (plain, or the output of a decompressor): entries listed as they stream, file members hashed and probed.
import { TarParser, type ContentSink } from '../../image/tar-parser.js';
import type { TarHeader } from '../../image/tar-header.js';
import { ARCHIVE_HEAD, isTarHeader } from './archive-magic.js';
import type { ArchiveContext } from './archive-budget.js';
import { memberPathProblem, type Listing } from './archive-listing.js';
import { MemberSink } from './archive-member.js';
import type { ArchiveWalker } from './archive-types.js';

/** Walks a tar stream pushed through write(); members go into `listing`. */
export class TarWalker {
  private readonly parser: TarParser;
  private current: { sink: MemberSink; open: boolean } | undefined;

  constructor(
    private readonly ctx: ArchiveContext,
    private readonly listing: Listing,
    limit?: number,
  ) {
    this.parser = new TarParser(
      {
        entry: (h) => this.entry(h),
        problem: (reason, _fatal, path) => listing.warn(path === undefined ? reason : `${path}: ${reason}`),
      },
      limit,
    );
  }

  /** Feeds tar bytes; false once the archive ended or a bound was passed. */
  write(chunk: Buffer): boolean {
    this.parser.write(chunk);
    return !this.parser.done && !this.ctx.budget.stopped;
  }

  /** Ends the stream; a member cut short is listed as unopened. */
  end(): void {
    const cur = this.current;
    if (cur?.open) {
      cur.open = false;
      cur.sink.finish(this.ctx.budget.stopped ?? 'the archive ends inside this member (truncated)');
    }
    this.parser.end();
  }

  private entry(h: TarHeader): ContentSink | undefined {
    const path = h.path.replace(/^(\.\/)+/, '');
    const problem = memberPathProblem(h.path);
    if (problem) this.listing.warn(`${h.path}: ${problem}`);
    switch (h.type) {
      case 'symlink':
      case 'hardlink':
        if (linkEscapes(path, h.linkname)) this.listing.warn(`${path}: ${h.type} points outside the archive (${h.linkname})`);
        return undefined;
      case 'char':
      case 'block':
      case 'fifo':
        this.listing.warn(`${path}: ${h.type} member skipped`);
        return undefined;
      case 'file':
      case 'other':
        return this.file(path, h.size);
      default:
        return undefined;
    }
  }

  private file(path: string, size: number): ContentSink | undefined {
    if (!this.ctx.budget.member()) return undefined;
    const cur = { sink: new MemberSink(this.ctx, this.listing, path, size), open: true };
    this.current = cur;
    return {
      data: (chunk) => {
        if (cur.open) cur.sink.write(chunk);
      },
      end: () => {
        if (!cur.open) return;
        cur.open = false;
        cur.sink.finish(this.ctx.budget.stopped);
      },
    };
  }
}

// A link target that is absolute or climbs above the archive root.
function linkEscapes(path: string, target: string): boolean {
  if (target.startsWith('/')) return true;
  let depth = path.split('/').length - 1;
  for (const part of target.split('/')) {
    if (part === '..') depth--;
    else if (part !== '' && part !== '.') depth++;
    if (depth < 0) return true;
  }
  return false;
}

/** The output of a decompressor (gzip, zstd): a tar is walked as one, anything else is one member. */
export class Decompressed {
  private head: Buffer[] | undefined = [];
  private headLen = 0;
  private tar: TarWalker | undefined;
  private file: MemberSink | undefined;
  private wants = true;

  constructor(
    private readonly ctx: ArchiveContext,
    private readonly listing: Listing,
    private readonly memberName: string,
  ) {}

  /** True once the content turned out to be a tar. */
  get isTar(): boolean {
    return this.tar !== undefined;
  }

  /** Feeds decompressed bytes; false once a bound was passed. */
  write(chunk: Buffer): boolean {
    if (this.head) {
      this.head.push(Buffer.from(chunk));
      this.headLen += chunk.length;
      if (this.headLen >= ARCHIVE_HEAD) this.decide();
    } else {
      this.push(chunk);
    }
    return !this.ctx.budget.stopped;
  }

  /** Ends the content (`cut` names why it may be incomplete). */
  end(cut?: string): void {
    if (this.head) this.decide();
    if (this.tar) this.tar.end();
    else this.file?.finish(cut);
  }

  private decide(): void {
    const head = Buffer.concat(this.head!);
    this.head = undefined;
    if (isTarHeader(head)) this.tar = new TarWalker(this.ctx, this.listing);
    else if (this.ctx.budget.member()) this.file = new MemberSink(this.ctx, this.listing, this.memberName, -1);
    if (head.length > 0) this.push(head);
  }

  private push(chunk: Buffer): void {
    if (this.tar) {
      if (this.wants) this.wants = this.tar.write(chunk);
    } else {
      this.file?.write(chunk);
    }
  }
}

/** A walker over a plain tar; `size` bounds entry sizes when known. */
export function tarWalker(ctx: ArchiveContext, listing: Listing, size?: number): ArchiveWalker {
  const t = new TarWalker(ctx, listing, size);
  return {
    write: (chunk) => t.write(chunk),
    end: () => (t.end(), listing.facts('tar')),
  };
}
