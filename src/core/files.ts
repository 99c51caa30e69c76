// Atomic file output: write a temp file beside the target, then rename, so no partial file is ever left.
import { lstat, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { fail, describeError } from './errors.js';

/**
 * Writes `data` to `path` atomically (temp file + rename); on failure nothing is left behind. A target that is not
 * a regular file (/dev/null, /dev/stdout, a FIFO) is written directly: renaming over it would replace the device.
 * A symlink target is followed, so the link stays a link.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode?: number): Promise<void> {
  let target = path;
  try {
    const st = await lstat(path);
    if (st.isSymbolicLink()) target = await realpath(path);
    const real = st.isSymbolicLink() ? await lstat(target) : st;
    if (!real.isFile()) {
      await writeFile(target, data);
      return;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') fail('USAGE', `cannot write ${path}: ${describeError(err)}`);
  }
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(tmp, data, mode === undefined ? undefined : { mode });
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    fail('USAGE', `cannot write ${path}: ${describeError(err)}`);
  }
}
