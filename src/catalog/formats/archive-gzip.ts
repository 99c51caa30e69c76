// Gzip streams: members (RFC 1952, multi-member) inflated as they stream; the output is a tar or a single file.
import { crc32 } from 'node:zlib';
import { SyncInflater, syncInflateAvailable } from './archive-inflate.js';
import type { ArchiveContext } from './archive-budget.js';
import type { Listing } from './archive-listing.js';
import { PushDriver, type PushParser } from './archive-push.js';
import { Decompressed } from './archive-tar.js';
import type { ArchiveWalker } from './archive-types.js';

const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;
const NAME_CAP = 64 * 1024;

/** State of a gzip walk that the probe reads when it ends. */
export interface GzipState {
  out?: Decompressed;
  /** True between members (where the input may end cleanly). */
  atBoundary: boolean;
}

/** The name of the file a .gz holds when its header names none: the archive's own name without .gz (.tgz → .tar). */
export function gunzippedName(archivePath: string): string {
  const base = archivePath.slice(archivePath.lastIndexOf('/') + 1);
  if (/\.tgz$/i.test(base)) return `${base.slice(0, -4)}.tar`;
  if (/\.gz$/i.test(base)) return base.slice(0, -3);
  return base || 'data';
}

function* cstring(): Generator<{ read: number }, string, Buffer> {
  const bytes: number[] = [];
  for (;;) {
    const b = (yield { read: 1 })[0]!;
    if (b === 0) return Buffer.from(bytes).toString('latin1');
    if (bytes.length >= NAME_CAP) throw new Error('gzip header name field too long');
    bytes.push(b);
  }
}

/** Walks a gzip stream; the decompressed bytes go to a tar walker or one member. */
export function* gzipWalk(ctx: ArchiveContext, listing: Listing, st: GzipState, name: string, d: PushDriver): PushParser {
  if (!syncInflateAvailable) {
    listing.leaveUnopened('this Node runtime offers no synchronous zlib stream');
    return;
  }
  for (let member = 0; ; member++) {
    st.atBoundary = member > 0;
    const magic = yield { read: 2 };
    if (member > 0 && !(magic[0] === 0x1f && magic[1] === 0x8b)) {
      const rest = yield { tail: 1024 };
      if (magic.some((b) => b !== 0) || rest.some((b) => b !== 0)) listing.warn(`data after the gzip stream at offset ${d.pos - rest.length - 2}`);
      return;
    }
    st.atBoundary = false;
    const h = yield { read: 8 };
    if (h[0] !== 8) {
      listing.leaveUnopened(`gzip compression method ${h[0]} is not deflate`);
      return;
    }
    const flags = h[1]!;
    if (flags & FEXTRA) yield { read: (yield { read: 2 }).readUInt16LE(0) };
    const fname = flags & FNAME ? yield* cstring() : undefined;
    if (flags & FCOMMENT) yield* cstring();
    if (flags & FHCRC) yield { read: 2 };
    if (member === 0) st.out = new Decompressed(ctx, listing, fname ? fname.replace(/^.*[/\\]/, '') || name : name);
    const out = st.out!;
    const inflater = new SyncInflater();
    let crc = 0;
    let size = 0;
    try {
      yield {
        until: (chunk) =>
          inflater.write(chunk, (piece) => {
            crc = crc32(piece, crc);
            size += piece.length;
            return ctx.budget.inflate(piece.length) && out.write(piece);
          }),
      };
      if (inflater.error) throw new Error(`corrupt deflate data in gzip member ${member + 1}: ${inflater.error}`);
      if (!inflater.ended) return; // stopped by a bound
    } finally {
      inflater.close();
    }
    const t = yield { read: 8 };
    if (t.readUInt32LE(0) !== crc) listing.warn(`gzip member ${member + 1}: CRC-32 mismatch (corrupt data)`);
    if (t.readUInt32LE(4) !== size % 2 ** 32) listing.warn(`gzip member ${member + 1}: size field disagrees with the data`);
  }
}

/** A walker over a gzip stream; `name` names the file inside when the header does not. */
export function gzipWalker(ctx: ArchiveContext, listing: Listing, name: string): ArchiveWalker {
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
