// An index of a tar file's members by seeking from header to header: no member content is read.
import { open, type FileHandle } from 'node:fs/promises';
import { fail, describeError } from '../core/index.js';
import { decodeHeader, isZeroBlock, parsePax, ABSURD_SIZE, type TarType } from './tar-header.js';
import { normalizeEntryPath } from './layer-scan.js';

/** Where one member's content lies in the tar file. */
export interface TarMember {
  name: string;
  type: TarType;
  offset: number;
  size: number;
  linkname: string;
}

/** Indexes the members of a tar file (normalized names → members). */
export async function indexTar(fh: FileHandle, fileSize: number, what: string): Promise<Map<string, TarMember>> {
  const members = new Map<string, TarMember>();
  const block = Buffer.alloc(512);
  let pos = 0;
  let override: { path?: string; linkpath?: string } = {};
  while (pos + 512 <= fileSize) {
    await fh.read(block, 0, 512, pos);
    if (isZeroBlock(block)) break;
    const h = decodeHeader(block);
    if (!h) fail('CORRUPT_INPUT', `${what}: not a tar archive (bad header at offset ${pos})`);
    if (!(h.size >= 0) || h.size > ABSURD_SIZE || pos + 512 + h.size > fileSize) {
      fail('CORRUPT_INPUT', `${what}: truncated or corrupt archive (member ${h.path} runs past the end)`);
    }
    const offset = pos + 512;
    pos = offset + Math.ceil(h.size / 512) * 512;
    if (h.type === 'pax' || h.type === 'gnu-longname' || h.type === 'gnu-longlink') {
      if (h.size > 1 << 20) fail('CORRUPT_INPUT', `${what}: oversized tar metadata record`);
      const data = Buffer.alloc(h.size);
      await fh.read(data, 0, h.size, offset);
      if (h.type === 'pax') {
        const pax = parsePax(data);
        override = { path: pax.path, linkpath: pax.linkpath };
      } else if (h.type === 'gnu-longname') override.path = data.toString('utf8').replace(/\0.*$/s, '');
      else override.linkpath = data.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    const rawName = override.path ?? h.path;
    const linkname = override.linkpath ?? h.linkname;
    override = {};
    const norm = normalizeEntryPath(rawName);
    if ('hostile' in norm) continue;
    members.set(norm.path, { name: norm.path, type: h.type, offset, size: h.size, linkname });
  }
  return members;
}

/** Follows symlinks between members (docker save links duplicate layers) up to a small depth. */
export function resolveMember(members: Map<string, TarMember>, name: string): TarMember | undefined {
  let current = members.get(name);
  for (let hops = 0; current && current.type === 'symlink' && hops < 8; hops++) {
    const dir = current.name.includes('/') ? current.name.slice(0, current.name.lastIndexOf('/') + 1) : '';
    const target = current.linkname.startsWith('/') ? current.linkname : dir + current.linkname;
    const parts: string[] = [];
    for (const p of target.split('/')) {
      if (p === '..') parts.pop();
      else if (p !== '.' && p !== '') parts.push(p);
    }
    current = members.get(parts.join('/'));
  }
  return current && current.type !== 'symlink' ? current : undefined;
}

/** Reads a (small) member fully. */
export async function readMember(fh: FileHandle, m: TarMember, cap: number, what: string): Promise<Buffer> {
  if (m.size > cap) fail('CORRUPT_INPUT', `${what}: ${m.name} is ${m.size} bytes, over the ${cap} cap`);
  const buf = Buffer.alloc(m.size);
  const { bytesRead } = await fh.read(buf, 0, m.size, m.offset);
  if (bytesRead !== m.size) fail('CORRUPT_INPUT', `${what}: ${m.name} truncated`);
  return buf;
}

/** Opens a file for reading, with a NOT_FOUND error naming it. */
export async function openForRead(path: string, what: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (err) {
    fail('NOT_FOUND', `${what}: cannot open ${path}: ${describeError(err)}`);
  }
}
