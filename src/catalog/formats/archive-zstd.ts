// Zstandard streams: Node 20 has no zstd, so the compressed bytes are spooled to a temporary file and the `zstd` binary
// decompresses them (output capped at the archive's bounds) when the stream ends; the output is a tar or one member.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArchiveContext } from './archive-budget.js';
import type { ArchiveWalker } from './archive-types.js';
import type { Listing } from './archive-listing.js';
import { Decompressed } from './archive-tar.js';

let available: boolean | undefined;

/** True when a `zstd` binary runs here (checked once). */
export function zstdAvailable(): boolean {
  available ??= spawnSync('zstd', ['--version'], { stdio: 'ignore' }).status === 0;
  return available;
}

const READ = 1 << 20;

/** A walker over a zstd stream, decompressed by the zstd binary once the stream has ended. */
export function zstdWalker(ctx: ArchiveContext, listing: Listing, name: string): ArchiveWalker {
  let dir: string | undefined;
  let fd: number | undefined;
  let spooled = 0;
  const finish = () => {
    const facts = (tar: boolean) => listing.facts(tar ? 'tar' : 'zstd', tar ? 'zstd' : undefined);
    if (fd !== undefined) closeSync(fd);
    if (!dir) return facts(false);
    try {
      return facts(decompress(ctx, listing, dir, name));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  if (!zstdAvailable()) {
    listing.leaveUnopened('zstd stream: no zstd binary to decompress it');
    return { write: () => false, end: finish };
  }
  return {
    write: (chunk) => {
      if (spooled + chunk.length > ctx.opts.maxTotalBytes) {
        listing.leaveUnopened(`zstd stream larger than ${ctx.opts.maxTotalBytes} bytes`);
        if (fd !== undefined) closeSync(fd);
        fd = undefined;
        if (dir) rmSync(dir, { recursive: true, force: true });
        dir = undefined;
        return false;
      }
      dir ??= mkdtempSync(join(tmpdir(), 'mlbuild-zstd-'));
      fd ??= openSync(join(dir, 'in.zst'), 'w');
      writeSync(fd, chunk);
      spooled += chunk.length;
      return true;
    },
    end: finish,
  };
}

// Decompresses the spooled stream into a file capped one byte past the bounds, then feeds it on; true when a tar.
function decompress(ctx: ArchiveContext, listing: Listing, dir: string, name: string): boolean {
  const { budget, opts } = ctx;
  const cap = Math.min(opts.maxTotalBytes - budget.inflated, Math.max(opts.ratioFloor, opts.maxRatio * Math.max(1, budget.fed)) - budget.inflated) + 1;
  const limit = Math.max(1, cap);
  // zstd's own status goes to a file (sh has no pipefail); a zstd killed by head closing the pipe is the cap, not damage.
  const script = '{ zstd -dcq -- "$1"; echo $? > "$4"; } | head -c "$2" > "$3"';
  spawnSync('sh', ['-c', script, 'sh', join(dir, 'in.zst'), String(limit), join(dir, 'out'), join(dir, 'status')], { stdio: 'ignore' });
  const status = readText(join(dir, 'status'));
  const out = new Decompressed(ctx, listing, name);
  let cut: string | undefined;
  if (status !== '0' && statSync(join(dir, 'out'), { throwIfNoEntry: false })?.size !== limit) {
    cut = 'corrupt or truncated zstd data';
    listing.warn(cut);
  }
  const fd = openSync(join(dir, 'out'), 'r');
  try {
    const buf = Buffer.allocUnsafe(READ);
    for (;;) {
      const n = readSync(fd, buf, 0, READ, null);
      if (n === 0) break;
      if (!budget.inflate(n) || !out.write(buf.subarray(0, n))) {
        cut = budget.stopped;
        break;
      }
    }
  } finally {
    closeSync(fd);
  }
  out.end(cut);
  return out.isTar;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}
