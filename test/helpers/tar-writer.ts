// A tar writer for tests that can also write what real tools refuse to: hostile names, absurd sizes, bad checksums.
import { createHash } from 'node:crypto';

/** One entry to write. */
export interface TarEntry {
  name: string;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo';
  content?: Buffer | string;
  linkname?: string;
  mode?: number;
  /** Overrides the size field (e.g. absurd sizes); content is still written as given. */
  sizeField?: number;
  /** Writes a wrong checksum. */
  badChecksum?: boolean;
  /** Emits a PAX header carrying the path (for long names). */
  pax?: boolean;
}

const TYPE_FLAG: Record<string, string> = { file: '0', hardlink: '1', symlink: '2', char: '3', block: '4', dir: '5', fifo: '6' };

function octal(n: number, len: number): string {
  return `${n.toString(8).padStart(len - 1, '0')}\0`;
}

function header(name: string, typeflag: string, size: number, opts: TarEntry): Buffer {
  const h = Buffer.alloc(512);
  h.write(name.slice(0, 100), 0, 'utf8');
  h.write(octal(opts.mode ?? (typeflag === '5' ? 0o755 : 0o644), 8), 100);
  h.write(octal(0, 8), 108);
  h.write(octal(0, 8), 116);
  if (size > 0o77777777777) {
    // GNU base-256 for sizes that do not fit in 11 octal digits.
    h[124] = 0x80;
    let v = BigInt(size);
    for (let i = 135; i > 124; i--) {
      h[i] = Number(v & 0xffn);
      v >>= 8n;
    }
  } else h.write(octal(size, 12), 124);
  h.write(octal(1700000000, 12), 136);
  h.write(typeflag, 156);
  if (opts.linkname) h.write(opts.linkname, 157);
  h.write('ustar\0', 257);
  h.write('00', 263);
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(opts.badChecksum ? sum + 1 : sum, 7), 148);
  h[155] = 0x20;
  return h;
}

function pad(len: number): Buffer {
  return Buffer.alloc((512 - (len % 512)) % 512);
}

/** Builds a tar archive from entries (ends with two zero blocks unless `noEnd`). */
export function makeTar(entries: TarEntry[], opts: { noEnd?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const type = e.type ?? 'file';
    const content = typeof e.content === 'string' ? Buffer.from(e.content) : (e.content ?? Buffer.alloc(0));
    if (e.pax) {
      const rec = (k: string, v: string) => {
        let len = k.length + v.length + 3;
        len += String(len).length;
        if (String(len).length !== String(len - String(len).length).length) len++;
        return `${len} ${k}=${v}\n`;
      };
      const body = Buffer.from(rec('path', e.name));
      parts.push(header('PaxHeader', 'x', body.length, {} as TarEntry), body, pad(body.length));
    }
    const size = e.sizeField ?? (type === 'file' ? content.length : 0);
    parts.push(header(e.pax ? 'longname-placeholder' : e.name, TYPE_FLAG[type], size, e));
    if (type === 'file' && content.length > 0) parts.push(content, pad(content.length));
  }
  if (!opts.noEnd) parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** sha256 digest string of a buffer. */
export function digestOf(b: Buffer): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}
