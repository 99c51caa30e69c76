import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** A temporary folder and the function that removes it (kept when MLBUILD_KEEP_TMP=1, for debugging). */
export interface TempDir {
  path: string;
  cleanup(): Promise<void>;
}

/** Creates a fresh folder under the OS temp dir, e.g. /tmp/mlbuild-test-model-AbC123. */
export async function makeTempDir(prefix = 'tmp'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), `mlbuild-test-${prefix}-`));
  return {
    path,
    async cleanup() {
      if (process.env.MLBUILD_KEEP_TMP === '1') return;
      await rm(path, { recursive: true, force: true });
    },
  };
}

/** Runs `fn` with a temporary folder that is removed afterwards, whatever `fn` does. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>, prefix = 'tmp'): Promise<T> {
  const dir = await makeTempDir(prefix);
  try {
    return await fn(dir.path);
  } finally {
    await dir.cleanup();
  }
}

/** For a describe block: a folder created in beforeAll and removed in afterAll; read `.path` inside tests. */
export function useTempDir(prefix = 'tmp'): { readonly path: string } {
  let dir: TempDir | undefined;
  beforeAll(async () => {
    dir = await makeTempDir(prefix);
  });
  afterAll(async () => {
    await dir?.cleanup();
  });
  return {
    get path(): string {
      if (!dir) throw new Error('useTempDir: path read outside a test (before beforeAll ran)');
      return dir.path;
    },
  };
}
