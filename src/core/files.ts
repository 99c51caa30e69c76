// Atomic file output: write a temp file beside the target, then rename, so no partial file is ever left.
import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { fail, describeError } from './errors.js';

/** Writes `data` to `path` atomically (temp file + rename); on failure nothing is left behind. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode?: number): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(tmp, data, mode === undefined ? undefined : { mode });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    fail('USAGE', `cannot write ${path}: ${describeError(err)}`);
  }
}
