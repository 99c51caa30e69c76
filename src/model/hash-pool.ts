// Parallel file hashing: a pool of worker threads (one per core), each streaming one file at a time through a
// fixed read buffer into SHA-256, so memory stays bounded (workers × buffer) and large files are spread across cores.
// Workers take the next file themselves (a shared counter over the largest-first list), so a main thread busy
// loading modules or checking a signature never leaves a worker waiting for work; and they can be started early
// (warmHashWorkers) so that their start-up overlaps the CLI's own.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { MlbuildError } from '../core/errors.js';
import type { EventSink } from '../core/events.js';

/** A file's sha256 (hex) and the bytes hashed. */
export interface FileHash {
  digest: string;
  size: number;
}

/**
 * Read size of each worker. Measured on the 2-core test machine over a 2 GiB model: 64–128 KiB reads cost about
 * 0.3 s of kernel time, 256 KiB–4 MiB reads 1.0–1.3 s (the buffer no longer stays in cache between the copy out
 * of the page cache and the hash), so the smaller buffer hashes faster.
 */
export const HASH_CHUNK = 128 * 1024;

// Plain CommonJS so that it runs the same from dist/ and from TypeScript sources (tsx, vitest).
// A run message carries the whole job list and a shared Int32 counter: each worker claims the next index with
// Atomics.add, reports each file, and says `done` when the list is used up. A failure moves the counter past the
// end so that the other workers stop after their current file.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
const buf = Buffer.allocUnsafe(${HASH_CHUNK});
parentPort.on('message', ({ jobs, next }) => {
  const counter = new Int32Array(next);
  for (;;) {
    const i = Atomics.add(counter, 0, 1);
    if (i >= jobs.length) break;
    let fd;
    try {
      fd = openSync(jobs[i], 'r');
      const h = createHash('sha256');
      let size = 0;
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, null);
        if (n === 0) break;
        h.update(buf.subarray(0, n));
        size += n;
      }
      parentPort.postMessage({ i, digest: h.digest('hex'), size });
    } catch (e) {
      Atomics.store(counter, 0, jobs.length);
      parentPort.postMessage({ i, error: String(e && e.message || e) });
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  parentPort.postMessage({ done: true });
});
`;

/** Idle workers started ahead of need (unreferenced: they never keep the process alive), and their idle timer. */
let warm: Worker[] = [];
let warmTimer: NodeJS.Timeout | undefined;
/** Warm workers nobody took within this time are stopped (a scan that failed before hashing, a library caller). */
const WARM_IDLE_MS = 10_000;

/**
 * Starts `count` (default: all cores) hash workers now, so that their start-up (tens of milliseconds of CPU each)
 * runs while the caller still loads modules or walks the folder; the next hashFiles call uses them.
 */
export function warmHashWorkers(count: number = availableParallelism()): void {
  while (warm.length < count) {
    const w = new Worker(WORKER_SOURCE, { eval: true });
    w.unref();
    const drop = (): void => {
      warm = warm.filter((x) => x !== w);
    };
    w.on('error', drop); // a worker that dies while idle is just not used
    w.once('exit', drop);
    warm.push(w);
  }
  clearTimeout(warmTimer);
  warmTimer = setTimeout(() => {
    const idle = warm;
    warm = [];
    for (const w of idle) void w.terminate();
  }, WARM_IDLE_MS);
  warmTimer.unref();
}

function takeWorkers(count: number): Worker[] {
  const taken = warm.splice(0, count);
  for (const w of taken) {
    w.removeAllListeners('error');
    w.removeAllListeners('exit');
    w.ref();
  }
  while (taken.length < count) taken.push(new Worker(WORKER_SOURCE, { eval: true }));
  return taken;
}

/**
 * Hashes absolute paths on `workers` threads (default: all cores), largest files first; results keyed by path.
 * `started` is called once every worker has its work (from then on the workers need nothing from this thread, so
 * the caller may load heavy modules), or at once when there is nothing to hash.
 */
export async function hashFiles(
  files: { path: string; size: number }[],
  opts: { workers?: number; events?: EventSink; started?: () => void } = {},
): Promise<Map<string, FileHash>> {
  const results = new Map<string, FileHash>();
  if (files.length === 0) {
    opts.started?.();
    return results;
  }
  const jobs = [...files].sort((a, b) => b.size - a.size);
  const count = Math.max(1, Math.min(opts.workers ?? availableParallelism(), jobs.length));
  const pool = takeWorkers(count);
  const paths = jobs.map((j) => j.path);
  const next = new SharedArrayBuffer(4);
  try {
    await new Promise<void>((resolve, reject) => {
      let running = pool.length;
      const fail = (e: MlbuildError): void => {
        Atomics.store(new Int32Array(next), 0, jobs.length); // stop handing out work; the first failure decides
        reject(e);
      };
      for (const w of pool) {
        let done = false;
        w.on('error', (e: Error) => fail(new MlbuildError('ENVIRONMENT', `hash worker failed: ${e.message}`, { cause: e })));
        w.on('exit', (code) => {
          if (!done) fail(new MlbuildError('ENVIRONMENT', `hash worker exited early (code ${code})`));
        });
        w.on('message', (m: { done?: true; i: number; digest?: string; size?: number; error?: string }) => {
          if (m.done) {
            done = true;
            if (--running === 0) resolve();
            return;
          }
          const job = jobs[m.i];
          if (m.error !== undefined) {
            fail(new MlbuildError('BAD_TARGET', `cannot read ${job.path}: ${m.error}`));
            return;
          }
          results.set(job.path, { digest: m.digest as string, size: m.size as number });
          opts.events?.({ type: 'bytes', bytes: m.size as number });
        });
        w.postMessage({ jobs: paths, next });
      }
      opts.started?.();
    });
  } finally {
    // Not awaited: stopping a thread takes milliseconds that nobody needs to wait for (unref: it cannot hold the process).
    for (const w of pool) {
      w.removeAllListeners('exit');
      w.unref();
      void w.terminate();
    }
  }
  return results;
}
