// Temporary folders that are removed in every case: normal return, thrown error, SIGINT/SIGTERM, process exit.
import { mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const live = new Set<string>();
let hooked = false;

function removeAllSync(): void {
  for (const dir of live) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort at exit
    }
  }
  live.clear();
}

function hook(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', removeAllSync);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      removeAllSync();
      process.exit(sig === 'SIGINT' ? 130 : 143);
    });
  }
}

/** A temp folder and its remover (idempotent). */
export interface TempFolder {
  path: string;
  remove(): Promise<void>;
}

/** Creates a temp folder under the OS temp dir that is removed on remove(), on exit and on SIGINT/SIGTERM. */
export function makeTempFolder(prefix: string): TempFolder {
  hook();
  const path = mkdtempSync(join(tmpdir(), `mlbuild-${prefix}-`));
  live.add(path);
  return {
    path,
    async remove() {
      if (!live.delete(path)) return;
      await rm(path, { recursive: true, force: true });
    },
  };
}
