// The local attestation store: bundle files named by digest (the truth) plus index.json (a rebuildable cache).
import { randomBytes } from 'node:crypto';
import { readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Digest } from '../core/digest.js';
import { describeError, fail, isMlbuildError, MlbuildError } from '../core/errors.js';
import { ensureDir, failFs } from '../core/fs-errors.js';
import { parseBundle, type BundleJson } from './bundle.js';
import { normalizeSourceUrl } from './source-url.js';
import { BUNDLE_DIR, BUNDLE_SUFFIX, bundleFileName, entryFromBundle, isStoreEntry, matchesRevision, type StoreEntry } from './store-entry.js';

/** The index file name inside the store folder. */
export const INDEX_FILE = 'index.json';

/** Entries found, plus the files that could not be read (each a CORRUPT_INPUT error naming the file). */
export interface StoreQuery {
  entries: StoreEntry[];
  problems: MlbuildError[];
}

/** The store folder: the given one, else `$MLBUILD_STORE`, else `~/.mlbuild/attestations`. */
export function defaultStoreDir(env: NodeJS.ProcessEnv): string {
  return env.MLBUILD_STORE || join(homedir(), '.mlbuild', 'attestations');
}

/**
 * A folder of sigstore bundles. Writers never lock: each bundle is written to a unique temp file and renamed to
 * its digest name (same name ⇒ same bytes), and index.json is only a cache that every reader reconciles with the
 * folder listing, so a lost index update or a crashed writer costs a re-parse, never an entry.
 */
export class AttestationStore {
  constructor(readonly dir: string) {}

  /** Makes the bundle folder now, so that a store path that cannot work fails before any slow work (USAGE or ENVIRONMENT). */
  async prepare(): Promise<void> {
    await ensureDir(join(this.dir, BUNDLE_DIR), 'attestation store folder');
  }

  /** Stores a bundle (checked for shape, not verified: readers verify) and returns its index entry. */
  async put(bundle: string | Uint8Array | BundleJson): Promise<StoreEntry> {
    const bytes = typeof bundle === 'string' || bundle instanceof Uint8Array ? Buffer.from(bundle) : Buffer.from(JSON.stringify(bundle));
    parseBundle(bytes); // BAD_BUNDLE before anything is written
    const file = `${BUNDLE_DIR}/${bundleFileName(bytes)}`;
    await this.prepare();
    await atomicWrite(join(this.dir, file), bytes);
    const entry = entryFromBundle(file, bytes, (await stat(join(this.dir, file))).mtime);
    await this.list(); // refresh the index cache (best effort)
    return entry;
  }

  /** Every entry, reconciling index.json with the bundle files and rewriting it when it was stale. */
  async list(): Promise<StoreQuery> {
    const files = await this.bundleFiles();
    const cached = await this.readIndex();
    const entries: StoreEntry[] = [];
    const problems: MlbuildError[] = [];
    let stale = cached.size !== files.length;
    for (const file of files) {
      const hit = cached.get(file);
      if (hit) {
        entries.push(hit);
        continue;
      }
      stale = true;
      try {
        const path = join(this.dir, file);
        entries.push(entryFromBundle(file, await readFile(path), (await stat(path)).mtime));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // removed meanwhile
        problems.push(isMlbuildError(e) ? e : new MlbuildError('CORRUPT_INPUT', `store file ${file}: ${describeError(e)}`, { cause: e }));
      }
    }
    entries.sort((a, b) => a.created.localeCompare(b.created) || a.file.localeCompare(b.file));
    if (stale) await this.writeIndex(entries).catch(() => undefined); // a cache: failing to write it is harmless
    return { entries, problems };
  }

  /** Attestations of a source (any spelling of its URL), optionally of one revision or commit; newest last. */
  async findBySource(source: string, revision?: string): Promise<StoreQuery> {
    const key = normalizeSourceUrl(source);
    const all = await this.list();
    const entries = all.entries.filter((e) => e.source === key && (revision === undefined || matchesRevision(e, revision)));
    return { entries, problems: all.problems };
  }

  /** Attestations whose statement has a subject with this digest; newest last. */
  async findBySubject(digest: Digest | string): Promise<StoreQuery> {
    const want = (digest.startsWith('sha256:') ? digest : `sha256:${digest}`).toLowerCase();
    const all = await this.list();
    return { entries: all.entries.filter((e) => e.subjects.some((s) => s.digest === want)), problems: all.problems };
  }

  /** Reads an entry's bundle, checking the bytes still match their digest (CORRUPT_INPUT naming the file). */
  async readBundle(entry: StoreEntry): Promise<{ bytes: Buffer; json: BundleJson }> {
    let bytes: Buffer;
    try {
      bytes = await readFile(join(this.dir, entry.file));
    } catch (e) {
      fail('NOT_FOUND', `store file ${entry.file} is gone: ${describeError(e)}`, { cause: e });
    }
    entryFromBundle(entry.file, bytes, new Date()); // digest + shape check
    return { bytes, json: JSON.parse(bytes.toString('utf8')) as BundleJson };
  }

  /** Checks that the store folder exists and is a folder (NOT_FOUND or USAGE naming it), for readers given a path. */
  async assertExists(): Promise<void> {
    let st;
    try {
      st = await stat(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') fail('NOT_FOUND', `attestation store ${this.dir} does not exist`);
      failFs(e, `attestation store ${this.dir}`);
    }
    if (!st.isDirectory()) fail('USAGE', `attestation store ${this.dir} is not a folder`);
  }

  private async bundleFiles(): Promise<string[]> {
    try {
      const names = await readdir(join(this.dir, BUNDLE_DIR));
      return names.filter((n) => n.endsWith(BUNDLE_SUFFIX) && !n.startsWith('.')).map((n) => `${BUNDLE_DIR}/${n}`).sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      failFs(e, `cannot read attestation store ${this.dir}`);
    }
  }

  private async readIndex(): Promise<Map<string, StoreEntry>> {
    const map = new Map<string, StoreEntry>();
    try {
      const value: unknown = JSON.parse(await readFile(join(this.dir, INDEX_FILE), 'utf8'));
      const list = (value as { entries?: unknown }).entries;
      if (Array.isArray(list)) for (const e of list) if (isStoreEntry(e)) map.set(e.file, e);
    } catch {
      // missing or damaged cache: everything is re-derived from the bundle files
    }
    return map;
  }

  private async writeIndex(entries: StoreEntry[]): Promise<void> {
    await atomicWrite(join(this.dir, INDEX_FILE), Buffer.from(`${JSON.stringify({ version: 1, entries }, null, 2)}\n`));
  }
}

/** Writes a file through a unique temp name and rename, so readers never see a partial file. */
async function atomicWrite(path: string, bytes: Buffer): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, bytes, { flag: 'wx' });
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    failFs(e, `cannot write ${path}`);
  }
}
