// A cache of layer scans by diffID, so a rescan reads only layers it has not seen (atomic writes, safe to share).
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { digestHex, type Digest } from '../core/index.js';
import type { LayerScan } from './layer-scan.js';

/** Bump when LayerScan's shape or any probe's facts change. */
const CACHE_VERSION = 3;

/** Where layer scans are cached by default: MLBUILD_CACHE_DIR, else $XDG_CACHE_HOME/mlbuild, else ~/.cache/mlbuild. */
export function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  return env.MLBUILD_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'mlbuild');
}

/** A directory of `<diffID hex>.json` scans; `key` distinguishes probe sets. */
export class LayerCache {
  private readonly dir: string;

  constructor(root: string, private readonly key: string) {
    this.dir = join(root, 'layers');
  }

  private file(diffID: Digest): string {
    return join(this.dir, `${digestHex(diffID)}.json`);
  }

  /** The cached scan of a layer, or undefined (missing, stale or unreadable entries are ignored). */
  async get(diffID: Digest): Promise<LayerScan | undefined> {
    try {
      const data = JSON.parse(await readFile(this.file(diffID), 'utf8')) as { version: number; key: string; scan: LayerScan };
      return data.version === CACHE_VERSION && data.key === this.key ? data.scan : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores a scan (write to a temp file, then rename). Failures are ignored: the cache is an optimisation. */
  async put(diffID: Digest, scan: LayerScan): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true });
      const tmp = `${this.file(diffID)}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, JSON.stringify({ version: CACHE_VERSION, key: this.key, scan }));
      await rename(tmp, this.file(diffID));
    } catch {
      // best effort
    }
  }
}
