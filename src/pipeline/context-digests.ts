// The digests of the build context's files, so files COPY/ADDed from it are accounted for (owner "context").
import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** Files bigger than this are not hashed for ownership (a big file in the context is a model or judged as unaccounted). */
const FILE_CAP = 256 * 1024 * 1024;
/** Bytes hashed in all before giving up (the rest stays unaccounted, never wrongly owned). */
const TOTAL_CAP = 2 * 1024 * 1024 * 1024;
const FILES_CAP = 100_000;

/**
 * sha256 (hex) of the regular files of a local build context folder; empty for URLs, "-" and unreadable folders.
 * Stops early (with what it has) once `signal` aborts, e.g. when the build failed and no check will ask for them.
 */
export async function contextDigests(dir: string, signal?: AbortSignal): Promise<Set<string>> {
  const out = new Set<string>();
  let bytes = 0;
  let files = 0;
  const walk = async (d: string): Promise<void> => {
    let names: string[];
    try {
      names = await readdir(d);
    } catch {
      return;
    }
    for (const name of names) {
      if (signal?.aborted) return;
      if (name === '.git' || files >= FILES_CAP || bytes >= TOTAL_CAP) continue;
      const p = join(d, name);
      const st = await lstat(p).catch(() => undefined);
      if (!st) continue;
      if (st.isDirectory()) await walk(p);
      else if (st.isFile() && st.size <= FILE_CAP && bytes + st.size <= TOTAL_CAP) {
        files++;
        bytes += st.size;
        const h = createHash('sha256');
        try {
          for await (const chunk of createReadStream(p, { signal })) h.update(chunk as Buffer);
          out.add(h.digest('hex'));
        } catch {
          // an unreadable file is simply not claimed
        }
      }
    }
  };
  if (dir !== '-' && !/^[a-z]+:\/\//i.test(dir) && !/^git@/.test(dir)) await walk(dir);
  return out;
}
