// Decoding of one 512-byte tar header block (ustar, GNU and PAX records), shared by every tar reader here.

/** The entry types mlbuild distinguishes. */
export type TarType = 'file' | 'hardlink' | 'symlink' | 'char' | 'block' | 'dir' | 'fifo' | 'pax' | 'pax-global' | 'gnu-longname' | 'gnu-longlink' | 'other';

/** A decoded tar header (before PAX / GNU long-name overrides are applied). */
export interface TarHeader {
  path: string;
  type: TarType;
  size: number;
  mode: number;
  linkname: string;
  devmajor: number;
  devminor: number;
}

/** Sizes above this are treated as absurd (no real layer holds a 1 PiB file). */
export const ABSURD_SIZE = 2 ** 50;

const TYPES: Record<string, TarType> = {
  '0': 'file', '\0': 'file', '7': 'file', '1': 'hardlink', '2': 'symlink', '3': 'char', '4': 'block',
  '5': 'dir', '6': 'fifo', x: 'pax', g: 'pax-global', L: 'gnu-longname', K: 'gnu-longlink',
};

function cstring(block: Buffer, start: number, len: number): string {
  const end = block.indexOf(0, start);
  return block.toString('utf8', start, end === -1 || end > start + len ? start + len : end);
}

/** Reads a numeric field: octal text, or GNU base-256 when the high bit is set. NaN when malformed. */
export function readNumber(block: Buffer, start: number, len: number): number {
  if (block[start] & 0x80) {
    if (block[start] === 0xff) return NaN; // negative
    let v = block[start] & 0x7f;
    for (let i = start + 1; i < start + len; i++) {
      v = v * 256 + block[i];
      if (v > Number.MAX_SAFE_INTEGER) return Infinity;
    }
    return v;
  }
  const text = cstring(block, start, len).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) return NaN;
  return parseInt(text, 8);
}

/** True when the block is all zeros (an end-of-archive marker). */
export function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < 512; i += 8) {
    if (block.readBigUInt64LE(i) !== 0n) return false;
  }
  return true;
}

/** True when the header's checksum field matches its bytes (unsigned or the historic signed sum). */
export function checksumOk(block: Buffer): boolean {
  const want = readNumber(block, 148, 8);
  // Sum every byte, then count the checksum field itself as eight spaces.
  let unsigned = 0;
  for (let i = 0; i < 512; i++) unsigned += block[i];
  let field = 0;
  for (let i = 148; i < 156; i++) field += block[i];
  unsigned += 8 * 32 - field;
  if (want === unsigned) return true;
  let signed = 8 * 32;
  for (let i = 0; i < 512; i++) if (i < 148 || i >= 156) signed += block[i] > 127 ? block[i] - 256 : block[i];
  return want === signed;
}

/** Decodes a header block; returns undefined when the checksum is wrong (not a tar header). */
export function decodeHeader(block: Buffer): TarHeader | undefined {
  if (!checksumOk(block)) return undefined;
  let path = cstring(block, 0, 100);
  const ustar = block.toString('latin1', 257, 262) === 'ustar';
  if (ustar && block[345] !== 0 && block.toString('latin1', 257, 263) === 'ustar\0') {
    path = `${cstring(block, 345, 155)}/${path}`;
  }
  return {
    path,
    type: TYPES[String.fromCharCode(block[156])] ?? 'other',
    size: readNumber(block, 124, 12),
    mode: readNumber(block, 100, 8) || 0,
    linkname: cstring(block, 157, 100),
    devmajor: ustar ? readNumber(block, 329, 8) || 0 : 0,
    devminor: ustar ? readNumber(block, 337, 8) || 0 : 0,
  };
}

/** Parses PAX extended header records ("<len> key=value\n"); malformed records end the parse. */
export function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space === -1) break;
    const len = parseInt(data.toString('latin1', pos, space), 10);
    if (!Number.isFinite(len) || len <= 0 || pos + len > data.length) break;
    const record = data.toString('utf8', space + 1, pos + len - 1);
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    pos += len;
  }
  return out;
}
