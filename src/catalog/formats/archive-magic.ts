// Archive and compression formats by magic bytes: which files the archive probe opens (or reports as unopened).
import { checksumOk, isZeroBlock } from '../../image/tar-header.js';
import type { ArchiveKind } from './archive-types.js';

/** Bytes of head archiveKindOf needs to see (a whole tar header block). */
export const ARCHIVE_HEAD = 512;

const MAGIC: Array<[ArchiveKind, number[]]> = [
  ['zip', [0x50, 0x4b, 0x03, 0x04]],
  ['zip', [0x50, 0x4b, 0x05, 0x06]], // an empty zip: only the end record
  ['gzip', [0x1f, 0x8b]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['7z', [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
  ['rar', [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07]],
  ['compress', [0x1f, 0x9d]],
  ['ar', [...Buffer.from('!<arch>\n')]],
  ['cpio', [...Buffer.from('07070')]],
];

function startsWith(head: Buffer, magic: number[]): boolean {
  if (head.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (head[i] !== magic[i]) return false;
  return true;
}

/** The archive or compression format `head` (ideally ARCHIVE_HEAD bytes) announces, if any. */
export function archiveKindOf(head: Buffer): ArchiveKind | undefined {
  for (const [kind, magic] of MAGIC) if (startsWith(head, magic)) return kind;
  if (head.length >= 4 && head.toString('latin1', 0, 3) === 'BZh' && head[3]! >= 0x31 && head[3]! <= 0x39) return 'bzip2';
  if (isLzmaAlone(head)) return 'lzma';
  if (isTarHeader(head)) return 'tar';
  // A zlib stream (joblib's compressed pickles, git objects): CMF 0x78 with a header check that divides by 31.
  if (head.length >= 2 && head[0] === 0x78 && (head[0] * 256 + head[1]!) % 31 === 0 && (head[1]! & 0x20) === 0) return 'zlib';
  return undefined;
}

/** True when the first 512 bytes are a tar header: ustar magic at 257 or (old style) a valid header checksum. */
export function isTarHeader(head: Buffer): boolean {
  if (head.length < 512) return false;
  const block = head.subarray(0, 512);
  if (isZeroBlock(block) || !checksumOk(block)) return false;
  // Old-style headers have no magic: also ask for a plausible name and octal size field.
  return block.toString('latin1', 257, 262) === 'ustar' || (block[0] !== 0 && /^[0-7 \0]+$/.test(block.toString('latin1', 124, 136)));
}

// .lzma ("alone") files: properties byte 0x5d, a power-of-two dictionary size, then the size or -1.
function isLzmaAlone(head: Buffer): boolean {
  if (head.length < 13 || head[0] !== 0x5d) return false;
  const dict = head.readUInt32LE(1);
  if (dict < 1 << 16 || (dict & (dict - 1)) !== 0) return false;
  const size = head.readBigUInt64LE(5);
  return size === 0xffffffffffffffffn || size < 1n << 48n;
}
