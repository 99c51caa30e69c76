// Real archives for archive-probe tests: written by python3's zipfile/tarfile/gzip/bz2/lzma and the zip/tar/zstd tools.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { archiveProbe, type ArchiveFacts, type ArchiveOptions } from '../../../../src/catalog/formats/archive.js';
import { mlFileProbe } from '../../../../src/catalog/formats/sniff.js';
import { feed, pickleFile, safetensorsFile } from './fixtures.js';

/** Runs a python3 program in `cwd`; `SAFETENSORS` and `EVIL_PICKLE` (hex) are predefined bytes for it to write. */
export function py(cwd: string, program: string): void {
  const prelude = [
    `SAFETENSORS = bytes.fromhex('${safetensorsFile({ w: { dtype: 'F32', shape: [4, 4] } }, { format: 'pt' }).toString('hex')}')`,
    `EVIL_PICKLE = bytes.fromhex('${pickleFile(true).toString('hex')}')`,
    'import io, os, zipfile, tarfile, gzip, bz2, lzma, hashlib, struct',
  ].join('\n');
  execFileSync('python3', ['-c', `${prelude}\n${program}`], { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Runs a shell command line in `cwd`. */
export function sh(cwd: string, line: string): void {
  execFileSync('sh', ['-c', line], { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Options with the content-sniffing member probe mlbuild already has. */
export const SNIFF: ArchiveOptions = { memberProbe: (path, size) => mlFileProbe(path, size) };

/** Probes the archive bytes in random chunks (each chunk scribbled over after use). */
export function probeBytes(path: string, data: Buffer, opts: ArchiveOptions = SNIFF, seed = 1, maxChunk = 70_000): ArchiveFacts {
  return feed(archiveProbe(path, data.length, opts), data, seed, maxChunk) as ArchiveFacts;
}

/** Probes an archive file. */
export function probeFile(path: string, opts: ArchiveOptions = SNIFF, seed = 1): ArchiveFacts {
  return probeBytes(path, readFileSync(path), opts, seed);
}

/** Hex sha256 of bytes. */
export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The member of an archive's facts at `path` (fails loudly when missing). */
export function member(f: ArchiveFacts, path: string): NonNullable<ArchiveFacts['members'][number]> {
  const m = f.members.find((x) => x.path === path);
  if (!m) throw new Error(`no member ${path} in ${f.members.map((x) => x.path).join(', ')}`);
  return m;
}
