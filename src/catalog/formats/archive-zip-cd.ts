// A zip's central directory (what loaders read), parsed from the kept tail and compared with the local headers streamed.

/** What a local file header and a central directory record both say of one member (compared field by field). */
export interface ZipRecord {
  name: string;
  flags: number;
  method: number;
  crc: number;
  comp: number;
  uncomp: number;
  /** Where the member's local header starts. */
  offset: number;
}

/** A local file header as streamed, with what the stream showed about its data. */
export interface LocalEntry extends ZipRecord {
  headerLen: number;
  zip64: boolean;
  /** Compressed bytes the member actually occupied, when the walk got past it. */
  dataLen?: number;
  /** The data descriptor's values (flag bit 3). */
  descriptor?: { crc: number; comp: number; uncomp: number };
}

/** One central directory record. */
export type CdEntry = ZipRecord;

/** The parsed central directory: entries, the count the end record declares, and the bytes prepended before offset 0. */
export interface CentralDirectory {
  entries: CdEntry[];
  declared: number;
  prepended: number;
}

const CD = 0x02014b50;
const EOCD = 0x06054b50;
const Z64_EOCD = 0x06064b50;
const Z64_LOC = 0x07064b50;
const u64 = (b: Buffer, o: number): number => Number(b.readBigUInt64LE(o));

function findEocd(tail: Buffer): { at: number; exact: boolean } | undefined {
  let last: number | undefined;
  for (let i = tail.length - 22; i >= 0 && i >= tail.length - 22 - 0xffff; i--) {
    if (tail.readUInt32LE(i) !== EOCD) continue;
    if (i + 22 + tail.readUInt16LE(i + 20) === tail.length) return { at: i, exact: true };
    last ??= i;
  }
  return last === undefined ? undefined : { at: last, exact: false };
}

// Zip64 extra field (id 1): the 64-bit values of only those fields whose 32-bit slot is all ones, in order.
function zip64Values(extra: Buffer, slots: Array<[number, number]>): number[] {
  const out = slots.map(([v]) => v);
  for (let off = 0; off + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(off);
    const len = extra.readUInt16LE(off + 2);
    if (id === 1) {
      let p = off + 4;
      slots.forEach(([v, max], i) => {
        if (v === max && p + 8 <= off + 4 + len) {
          out[i] = u64(extra, p);
          p += 8;
        }
      });
      break;
    }
    off += 4 + len;
  }
  return out;
}

/** Sizes of a local header, with zip64 values applied: [uncompressed, compressed]. */
export function localSizes(extra: Buffer, uncomp: number, comp: number): { uncomp: number; comp: number; zip64: boolean } {
  const [u, c] = zip64Values(extra, [[uncomp, 0xffffffff], [comp, 0xffffffff]]);
  return { uncomp: u!, comp: c!, zip64: hasZip64(extra) };
}

function hasZip64(extra: Buffer): boolean {
  for (let off = 0; off + 4 <= extra.length; off += 4 + extra.readUInt16LE(off + 2)) if (extra.readUInt16LE(off) === 1) return true;
  return false;
}

// The zip64 end record sits just before its locator (56 bytes without extensible data); else search back for it.
function findZip64Record(tail: Buffer, locator: number): number | undefined {
  for (let z = locator - 56; z >= 0 && z >= locator - 56 - 0xffff; z--) {
    if (tail.readUInt32LE(z) === Z64_EOCD && z + 12 + u64(tail, z + 4) === locator) return z;
  }
  return undefined;
}

/** Parses the central directory found in `tail` (the file's last bytes, starting at absolute offset `start`). */
export function readCentralDirectory(tail: Buffer, start: number, warn: (m: string) => void): CentralDirectory | undefined {
  const e = findEocd(tail);
  if (!e) {
    warn('no end of central directory record (truncated or not a zip)');
    return undefined;
  }
  if (!e.exact) warn('data after the end of central directory record');
  let declared = tail.readUInt16LE(e.at + 10);
  let size = tail.readUInt32LE(e.at + 12);
  let offset = tail.readUInt32LE(e.at + 16);
  let cdEnd = e.at;
  // A zip64 locator before the end record points at the zip64 end record, which ends the directory.
  if (e.at >= 20 && tail.readUInt32LE(e.at - 20) === Z64_LOC) {
    const z = findZip64Record(tail, e.at - 20);
    if (z === undefined) {
      warn('zip64 end of central directory record not found');
    } else {
      declared = u64(tail, z + 32);
      size = u64(tail, z + 40);
      offset = u64(tail, z + 48);
      cdEnd = z;
    }
  } else if (declared === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    warn('zip64 end of central directory locator not found');
  }
  const rel = cdEnd - size;
  if (rel < 0) {
    warn(start > 0 ? 'central directory larger than the bytes kept; not compared' : 'central directory size runs before the start of the file');
    return undefined;
  }
  const entries: CdEntry[] = [];
  for (let p = rel; p + 46 <= cdEnd; ) {
    if (tail.readUInt32LE(p) !== CD) {
      warn(`bad central directory record at offset ${start + p}`);
      break;
    }
    const nameLen = tail.readUInt16LE(p + 28);
    const extraLen = tail.readUInt16LE(p + 30);
    const end = p + 46 + nameLen + extraLen + tail.readUInt16LE(p + 32);
    if (end > cdEnd) {
      warn(`central directory record at offset ${start + p} runs past the directory`);
      break;
    }
    const extra = tail.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen);
    const [uncomp, comp, off] = zip64Values(extra, [[tail.readUInt32LE(p + 24), 0xffffffff], [tail.readUInt32LE(p + 20), 0xffffffff], [tail.readUInt32LE(p + 42), 0xffffffff]]);
    entries.push({
      name: tail.toString('utf8', p + 46, p + 46 + nameLen),
      flags: tail.readUInt16LE(p + 8),
      method: tail.readUInt16LE(p + 10),
      crc: tail.readUInt32LE(p + 16),
      comp: comp!,
      uncomp: uncomp!,
      offset: off!,
    });
    p = end;
  }
  return { entries, declared, prepended: start + rel - offset };
}

const DISAGREE = 'zip central directory disagrees with local headers';

/** What comparing the two directories found: findings, and the entries past the streamed part (not compared). */
export interface Comparison {
  findings: string[];
  unstreamed: CdEntry[];
}

/**
 * Findings where the central directory and the streamed local headers tell different stories; entries at or past
 * `streamedUpTo` (where the local walk had to stop) are returned apart, as not compared.
 */
export function compareDirectories(locals: LocalEntry[], cd: CentralDirectory, streamedUpTo = Infinity): Comparison {
  const out: string[] = [];
  const unstreamed: CdEntry[] = [];
  const say = (m: string): void => void out.push(`${DISAGREE}: ${m}`);
  if (cd.prepended > 0) say(`${cd.prepended} bytes of data before the first local header (prepended)`);
  if (cd.prepended < 0) say('the directory offset points past where the directory is');
  if (cd.declared !== cd.entries.length) say(`end record declares ${cd.declared} entries, the directory holds ${cd.entries.length}`);
  const byOffset = new Map(locals.map((l) => [l.offset, l]));
  const matched = new Set<LocalEntry>();
  const names = new Set<string>();
  for (const c of cd.entries) {
    if (names.has(c.name)) say(`${c.name} is listed twice`);
    names.add(c.name);
    const l = byOffset.get(c.offset + Math.max(0, cd.prepended));
    if (!l && c.offset + Math.max(0, cd.prepended) >= streamedUpTo) {
      unstreamed.push(c);
      continue;
    }
    if (!l) {
      say(`${c.name}: no local header at offset ${c.offset}`);
      continue;
    }
    matched.add(l);
    if (l.name !== c.name) say(`entry at offset ${c.offset} is named ${c.name} in the directory but ${l.name} locally`);
    if (l.method !== c.method) say(`${c.name}: compression method ${c.method} in the directory, ${l.method} locally`);
    // With a data descriptor the local CRC and sizes are placeholders; only the descriptor (when read) counts.
    if ((l.flags & 8) !== 0 && !l.descriptor) continue;
    const crc = l.descriptor?.crc ?? l.crc;
    if (crc !== c.crc) say(`${c.name}: CRC-32 differs`);
    const comp = l.dataLen ?? l.descriptor?.comp ?? l.comp;
    const uncomp = l.descriptor?.uncomp ?? l.uncomp;
    if (comp !== c.comp || uncomp !== c.uncomp) say(`${c.name}: sizes differ`);
  }
  for (const l of locals) if (!matched.has(l)) say(`local entry ${l.name} at offset ${l.offset} is not in the directory`);
  const sorted = [...cd.entries].sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const la = byOffset.get(a.offset + Math.max(0, cd.prepended));
    const aEnd = a.offset + (la?.headerLen ?? 30 + Buffer.byteLength(a.name)) + a.comp;
    if (sorted[i]!.offset < aEnd) say(`${sorted[i]!.name} overlaps ${a.name}`);
  }
  return { findings: out, unstreamed };
}
