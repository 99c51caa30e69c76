// Zip archives (wheels, jars, .npz, PyTorch zip, .keras): local headers walked as they stream, stored and deflate
// members hashed and probed, then the central directory (from the kept tail) compared with what streamed past.
import { SyncInflater, syncInflateAvailable } from './archive-inflate.js';
import type { ArchiveContext } from './archive-budget.js';
import type { ArchiveWalker } from './archive-types.js';
import { memberPathProblem, type Listing } from './archive-listing.js';
import { MemberSink } from './archive-member.js';
import { PushDriver, type PushNeed, type PushParser } from './archive-push.js';
import { compareDirectories, localSizes, readCentralDirectory, type CentralDirectory, type LocalEntry } from './archive-zip-cd.js';

const LOCAL = 0x04034b50;
const DESCRIPTOR = 0x08074b50;
const KNOWN_SIGS = new Set([0x02014b50, 0x06054b50, 0x06064b50, 0x07064b50, 0x05054b50]);
const METHODS: Record<number, string> = { 1: 'shrink', 6: 'implode', 9: 'deflate64', 12: 'bzip2', 14: 'lzma', 20: 'zstd', 93: 'zstd', 95: 'xz', 96: 'jpeg', 97: 'wavpack', 98: 'ppmd', 99: 'aes' };

interface ZipState {
  locals: LocalEntry[];
  cd?: CentralDirectory;
  current?: MemberSink;
  atBoundary: boolean;
  /** Where the local walk stopped before the central directory (past it, entries are known from the directory only). */
  streamedUpTo?: number;
}

function* zipWalk(ctx: ArchiveContext, listing: Listing, st: ZipState, d: PushDriver): PushParser {
  for (;;) {
    const at = d.pos;
    st.atBoundary = true;
    const sig = yield { read: 4 };
    st.atBoundary = false;
    if (sig.readUInt32LE(0) !== LOCAL) {
      if (!KNOWN_SIGS.has(sig.readUInt32LE(0))) {
        listing.warn(`unexpected bytes at offset ${at} where a zip header should be`);
        st.streamedUpTo = at + 1;
      }
      return yield* readTail(ctx, listing, st, d, sig);
    }
    const h = yield { read: 26 };
    const flags = h.readUInt16LE(2);
    const method = h.readUInt16LE(4);
    const name = (yield { read: h.readUInt16LE(22) }).toString('utf8');
    const extra = yield { read: h.readUInt16LE(24) };
    const { comp, uncomp, zip64 } = localSizes(extra, h.readUInt32LE(18), h.readUInt32LE(14));
    const e: LocalEntry = { offset: at, name, flags, method, crc: h.readUInt32LE(10), comp, uncomp, headerLen: d.pos - at, zip64 };
    st.locals.push(e);
    const dd = (flags & 8) !== 0;
    if (name.endsWith('/') && comp === 0 && !dd) continue;
    if (!ctx.budget.member()) return;
    const problem = memberPathProblem(name);
    if (problem) listing.warn(`${name}: ${problem}`);
    const sink = new MemberSink(ctx, listing, name, dd && uncomp === 0 ? -1 : uncomp, true);
    let why: string | undefined;
    if (flags & 1) why = 'encrypted member';
    else if (method !== 0 && method !== 8) why = `compression method ${method} (${METHODS[method] ?? 'unknown'}) is not opened`;
    else if (method === 0 && dd && comp === 0) why = 'stored member with a data descriptor: its end cannot be found while streaming';
    else if (!syncInflateAvailable && method === 8) why = 'this Node runtime offers no synchronous zlib stream';
    if (why) {
      sink.finish(why, comp);
      if (dd && comp === 0) {
        st.streamedUpTo = d.pos;
        return yield* readTail(ctx, listing, st, d);
      }
      yield { pass: comp, to: () => true };
      e.dataLen = comp;
    } else {
      st.current = sink;
      const r = method === 0 ? yield* stored(sink, comp) : yield* deflated(ctx, sink, comp, dd);
      if (r.stop) return;
      e.dataLen = r.used;
      if (r.bad) {
        listing.warn(`${name}: ${r.bad}`);
        st.current = undefined;
        sink.finish(r.bad, comp);
        if (dd) {
          st.streamedUpTo = d.pos;
          return yield* readTail(ctx, listing, st, d);
        }
        continue;
      }
    }
    if (dd) {
      const first = yield { read: 4 };
      const body = first.readUInt32LE(0) === DESCRIPTOR ? yield { read: zip64 ? 20 : 12 } : Buffer.concat([first, yield { read: zip64 ? 16 : 8 }]);
      const rd = (o: number): number => (zip64 ? Number(body.readBigUInt64LE(o)) : body.readUInt32LE(o));
      e.descriptor = { crc: body.readUInt32LE(0), comp: rd(4), uncomp: rd(zip64 ? 12 : 8) };
    }
    if (st.current) {
      st.current = undefined;
      sink.finish();
      const want = e.descriptor ?? e;
      if (sink.crc !== want.crc) listing.warn(`${name}: CRC-32 mismatch (corrupt or altered data)`);
      if (sink.size !== want.uncomp) listing.warn(`${name}: ${sink.size} bytes of data, ${want.uncomp} declared`);
    }
  }
}

interface DataResult {
  used: number;
  stop?: boolean;
  bad?: string;
}

function* stored(sink: MemberSink, comp: number): PushGen<DataResult> {
  yield { pass: comp, to: (c) => sink.write(c) };
  return { used: comp };
}

function* deflated(ctx: ArchiveContext, sink: MemberSink, comp: number, dd: boolean): PushGen<DataResult> {
  const inflater = new SyncInflater();
  const onOut = (piece: Buffer): boolean => ctx.budget.inflate(piece.length) && sink.write(piece);
  try {
    if (dd && comp === 0) yield { until: (c) => inflater.write(c, onOut) };
    else yield { pass: comp, to: (c) => (inflater.write(c, onOut), true) };
    if (inflater.stopped || ctx.budget.stopped) return { used: inflater.consumed, stop: true };
    if (inflater.error) return { used: comp, bad: `corrupt deflate data (${inflater.error})` };
    if (!inflater.finish()) return { used: comp, bad: 'deflate data ends before its stream does' };
    if (!(dd && comp === 0) && inflater.consumed < comp) return { used: comp, bad: `${comp - inflater.consumed} bytes after the deflate stream's end` };
    return { used: dd && comp === 0 ? inflater.consumed : comp };
  } finally {
    inflater.close();
  }
}

type PushGen<T> = Generator<PushNeed, T, Buffer>;

function* readTail(ctx: ArchiveContext, listing: Listing, st: ZipState, d: PushDriver, sig?: Buffer): PushParser {
  const tail = yield { tail: ctx.opts.zipTailCap };
  const whole = sig && d.tailComplete ? Buffer.concat([sig, tail]) : tail;
  st.cd = readCentralDirectory(whole, d.pos - whole.length, (m) => listing.warn(m));
}

// Findings from the comparison; entries the walk could not reach are listed unopened, from the directory's word.
function listFromDirectory(listing: Listing, cd: CentralDirectory, locals: LocalEntry[], streamedUpTo?: number): void {
  const { findings, unstreamed } = compareDirectories(locals, cd, streamedUpTo);
  for (const f of findings) listing.find(f);
  // Members left unopened before their sizes were known take them from the directory.
  const byName = new Map(cd.entries.map((c) => [c.name, c]));
  for (const m of listing.members) {
    const c = m.unopened && m.size === 0 ? byName.get(m.path) : undefined;
    if (c) Object.assign(m, { size: c.uncomp, compressedSize: c.comp });
  }
  const files = unstreamed.filter((c) => !c.name.endsWith('/'));
  if (files.length > 0) listing.warn(`${files.length} members past offset ${streamedUpTo} were not streamed; listed from the central directory only`);
  for (const c of files) {
    listing.members.push({ path: c.name, size: c.uncomp, unopened: 'not streamed: listed from the central directory only', compressedSize: c.comp });
  }
}

/** A walker over a zip's bytes. */
export function zipWalker(ctx: ArchiveContext, listing: Listing): ArchiveWalker {
  const st: ZipState = { locals: [], atBoundary: true };
  const d = new PushDriver((drv) => zipWalk(ctx, listing, st, drv));
  return {
    write: (chunk) => d.write(chunk) && !ctx.budget.stopped,
    end: () => {
      const status = d.end();
      if (status === 'failed') listing.warn(`malformed zip: ${d.failure}`);
      if (status === 'eof' && !st.atBoundary) listing.warn('the zip ends inside a member (truncated)');
      if (st.current) st.current.finish(ctx.budget.stopped ?? 'the zip ends inside this member (truncated)');
      if (st.cd) listFromDirectory(listing, st.cd, st.locals, st.streamedUpTo);
      else if (status !== 'stopped' && !ctx.budget.stopped) listing.warn('no central directory read: local headers not checked against it');
      return listing.facts('zip');
    },
  };
}
