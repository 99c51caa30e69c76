// Types shared by the archive probe and its format walkers (zip, tar, gzip, zstd).
import type { Probe, ProbeFacts } from '../probe.js';

/** Archive and compression formats recognized by magic bytes. */
export type ArchiveKind = 'zip' | 'tar' | 'gzip' | 'zstd' | 'xz' | 'bzip2' | '7z' | 'rar' | 'lzma' | 'compress' | 'ar' | 'cpio' | 'zlib';

/** One file inside an archive (nested members are named `outer!inner`). */
export interface ArchiveMember {
  path: string;
  /** Uncompressed size (bytes seen; the declared size when the member was not opened). */
  size: number;
  /** Hex sha256 of the member's full uncompressed content; absent when it was not opened. */
  sha256?: string;
  /** What the member probe found in its bytes. */
  facts?: ProbeFacts;
  /** Why the member's content was not read (encrypted, unsupported method, bound reached…). */
  unopened?: string;
  /** Compressed size, for members left unopened. */
  compressedSize?: number;
  /** Summary of the member when it is itself an archive (its members are listed as `path!…`). */
  archive?: ArchiveSummary;
}

/** An archive's own outcome without its member list (used for nested archives). */
export interface ArchiveSummary {
  archive: ArchiveKind;
  compression?: 'gzip' | 'zstd';
  memberCount: number;
  unopened?: string;
}

/** Facts of an archive file. */
export interface ArchiveFacts extends ProbeFacts {
  kind: 'archive';
  /** The container format ('tar' for a .tar.gz, with compression 'gzip'). */
  archive: ArchiveKind;
  compression?: 'gzip' | 'zstd';
  members: ArchiveMember[];
  /** Members listed, nested ones included. */
  memberCount: number;
  /** Set when the archive (or part of it) could not be opened: the reason. */
  unopened?: string;
  /** Signs of tampering or ambiguity (e.g. a zip central directory that disagrees with its local headers). */
  findings?: string[];
  warnings?: string[];
}

/** Chooses the probe for a member's bytes; `size` is Number.MAX_SAFE_INTEGER when unknown until the member ends. */
export type MemberProbeFactory = (path: string, size: number, depth: number) => Probe | undefined;

/** Options of archiveProbe. */
export interface ArchiveOptions {
  /** Probe for each member's content (content sniffing); none means members are only hashed. */
  memberProbe?: MemberProbeFactory;
  /** Archive nesting opened (1 = only this archive); default 3. */
  maxDepth?: number;
  /** Decompressed bytes per top-level archive before giving up; default 8 GiB. */
  maxTotalBytes?: number;
  /** Members per top-level archive before giving up; default 100 000. */
  maxMembers?: number;
  /** Decompressed:compressed ratio taken for a bomb once past `ratioFloor` bytes; default 1000. */
  maxRatio?: number;
  /** Decompressed bytes below which the ratio is not judged; default 64 MiB. */
  ratioFloor?: number;
  /** Bytes kept from a zip's end to read its central directory; default 16 MiB. */
  zipTailCap?: number;
}

/** A format walker: the archive's bytes in (false once it wants no more), its facts out. */
export interface ArchiveWalker {
  write(chunk: Buffer): boolean;
  end(): ArchiveFacts;
}
