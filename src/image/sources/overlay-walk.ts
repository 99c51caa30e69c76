// Reads an overlay2 layer directory in place, presenting it to the layer scanner as tar entries would be.
import { open } from 'node:fs/promises';
import { existsSync, closeSync, lstatSync, openSync, readSync, readdirSync, readlinkSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fail, describeError } from '../../core/index.js';
import type { LayerScanner } from '../layer-scan.js';
import type { TarHeader } from '../tar-header.js';

const run = promisify(execFile);
const CHUNK = 4 << 20;

// Lists directories carrying the overlay "opaque" xattr, for several layer dirs in one process (Node has no xattr
// API; python3 is on every machine that runs dockerd here). Output lines: "<root index>\t<relative dir>".
const OPAQUE_PY = `
import os, sys
for i, root in enumerate(sys.argv[1:]):
    for d, dirs, files in os.walk(root):
        for name in ('trusted.overlay.opaque', 'user.overlay.opaque'):
            try:
                if os.getxattr(d, name, follow_symlinks=False) in (b'y', b'x'):
                    print('%d\\t%s' % (i, os.path.relpath(d, root))); break
            except OSError:
                pass
`;

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** The directories marked opaque in each layer dir (relative to it), listed by one python3 process. */
export async function opaqueDirs(dirs: string[]): Promise<string[][]> {
  const out: string[][] = dirs.map(() => []);
  try {
    const { stdout } = await run(PYTHON, ['-c', OPAQUE_PY, ...dirs], { maxBuffer: 64 << 20 });
    for (const line of stdout.split('\n')) {
      const tab = line.indexOf('\t');
      const rel = line.slice(tab + 1);
      if (tab > 0 && rel !== '.') out[Number(line.slice(0, tab))].push(rel);
    }
    return out.map((l) => l.sort());
  } catch (err) {
    fail('ENVIRONMENT', `cannot read overlay xattrs of ${dirs.join(', ')}: ${describeError(err)}`);
  }
}

function header(path: string, type: TarHeader['type'], size: number, mode: number, linkname = ''): TarHeader {
  return { path, type, size, mode, linkname, devmajor: 0, devminor: 0 };
}

/** Walks a layer dir in sorted order, feeding entries and file content to the scanner (and `onBytes`); returns bytes read. */
export async function walkLayerDir(root: string, scanner: LayerScanner, what: string, opaque: Promise<string[]>, onBytes?: (n: number) => void): Promise<number> {
  const buf = Buffer.allocUnsafe(CHUNK);
  const seen = new Map<string, string>(); // dev:ino → first path, for hard links
  let bytes = 0;
  const walk = async (rel: string): Promise<void> => {
    const abs = rel === '' ? root : `${root}/${rel}`;
    let names: string[];
    try {
      names = readdirSync(abs).sort();
    } catch (err) {
      fail('ENVIRONMENT', `${what}: cannot read ${abs}: ${describeError(err)}`);
    }
    for (const name of names) {
      const path = rel === '' ? name : `${rel}/${name}`;
      // Sync metadata calls: an await per syscall costs more than the syscall on trees of small files.
      const st = lstatSync(`${root}/${path}`);
      const mode = st.mode & 0o7777;
      if (st.isDirectory()) {
        scanner.entry(header(path, 'dir', 0, mode));
        await walk(path);
      } else if (st.isSymbolicLink()) {
        scanner.entry(header(path, 'symlink', 0, mode, readlinkSync(`${root}/${path}`)));
      } else if (st.isCharacterDevice() && st.rdev === 0) {
        scanner.entry(header(rel === '' ? `.wh.${name}` : `${rel}/.wh.${name}`, 'file', 0, 0));
      } else if (st.isFile()) {
        const key = `${st.dev}:${st.ino}`;
        const first = st.nlink > 1 ? seen.get(key) : undefined;
        if (first !== undefined) {
          scanner.entry(header(path, 'hardlink', 0, mode, first));
          continue;
        }
        if (st.nlink > 1) seen.set(key, path);
        const sink = scanner.entry(header(path, 'file', st.size, mode));
        const data = sink && onBytes ? (c: Buffer): void => (onBytes(c.length), sink.data(c)) : sink?.data.bind(sink);
        if (data) bytes += st.size <= SMALL ? feedSmall(`${root}/${path}`, st.size, buf, data) : await feedFile(`${root}/${path}`, st.size, data);
        sink?.end();
      } else {
        scanner.entry(header(path, st.isFIFO() ? 'fifo' : 'char', 0, mode));
      }
    }
  };
  await walk('');
  for (const dir of await opaque) scanner.entry(header(`${dir}/.wh..wh..opq`, 'file', 0, 0));
  return bytes;
}

const SMALL = 4 << 20;

function feedSmall(path: string, size: number, buf: Buffer, data: (c: Buffer) => void): number {
  const fd = openSync(path, 'r');
  try {
    const n = readSync(fd, buf, 0, size, 0);
    if (n > 0) data(buf.subarray(0, n));
    return n;
  } finally {
    closeSync(fd);
  }
}

/** Large files: two buffers, the next read in flight while the current chunk is hashed. */
async function feedFile(path: string, size: number, data: (c: Buffer) => void): Promise<number> {
  const fh = await open(path, 'r');
  const bufs = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
  try {
    let pos = 0;
    let turn = 0;
    let pending = fh.read(bufs[0], 0, Math.min(CHUNK, size), 0);
    while (pos < size) {
      const { bytesRead, buffer } = await pending;
      if (bytesRead === 0) break;
      pos += bytesRead;
      turn ^= 1;
      if (pos < size) pending = fh.read(bufs[turn], 0, Math.min(CHUNK, size - pos), pos);
      data(buffer.subarray(0, bytesRead));
    }
    return pos;
  } finally {
    await fh.close();
  }
}
