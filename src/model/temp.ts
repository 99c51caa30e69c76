// Temporary folders that are removed in every case: normal return, thrown error, and (through the CLI, which owns
// the process) SIGINT/SIGTERM and process exit.
import { mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const live = new Set<string>();

/** Removes every temp folder still live, synchronously: for the CLI's exit and signal handlers. */
export function removeTempFoldersSync(): void {
  for (const dir of live) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort at exit
    }
  }
  live.clear();
}

/** A temp folder and its remover (idempotent). */
export interface TempFolder {
  path: string;
  remove(): Promise<void>;
}

/** Creates a temp folder under the OS temp dir that is removed on remove() or by removeTempFoldersSync(). */
export function makeTempFolder(prefix: string): TempFolder {
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
