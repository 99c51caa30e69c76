// Store index entries: what the index knows about one bundle file, derived from the bundle alone.
import type { Digest } from '../core/digest.js';
import { isDigest, sha256Digest } from '../core/digest.js';
import { fail } from '../core/errors.js';
import { parseBundle } from './bundle.js';
import { MLBUILD_PREDICATE_KEY } from './model-statement.js';
import { normalizeSourceUrl } from './source-url.js';
import { isObject } from './statement.js';

/** One attestation in the store's index. */
export interface StoreEntry {
  /** The bundle file, relative to the store folder: `bundles/<hex>.sigstore.json`. */
  file: string;
  /** sha256 of the bundle file's bytes (also its name). */
  bundleDigest: Digest;
  /** Normalized source URL (see normalizeSourceUrl), when the statement names one. */
  source?: string;
  /** The revision asked for when the model was attested. */
  revision?: string;
  /** The resolved git commit. */
  commit?: string;
  /** Every subject's sha256. */
  subjects: { name: string; digest: Digest }[];
  predicateType: string;
  /** When the bundle was stored (ISO 8601). */
  created: string;
}

/** Folder (inside the store) that holds the bundle files. */
export const BUNDLE_DIR = 'bundles';
/** Suffix of bundle files, as cosign and GitHub name sigstore bundles. */
export const BUNDLE_SUFFIX = '.sigstore.json';

/** The file name of a bundle with the given bytes. */
export function bundleFileName(bytes: Uint8Array): string {
  return `${sha256Digest(bytes).slice(7)}${BUNDLE_SUFFIX}`;
}

/** Derives an index entry from a bundle file's bytes; CORRUPT_INPUT (naming the file) when unusable. */
export function entryFromBundle(file: string, bytes: Buffer, created: Date): StoreEntry {
  const digest = sha256Digest(bytes);
  if (`${BUNDLE_DIR}/${digest.slice(7)}${BUNDLE_SUFFIX}` !== file) fail('CORRUPT_INPUT', `store file ${file} does not match its digest ${digest}`);
  let statement;
  try {
    statement = parseBundle(bytes, `store file ${file}`).statement;
  } catch (e) {
    fail('CORRUPT_INPUT', `store file ${file} is not a usable bundle: ${(e as Error).message}`, { cause: e });
  }
  const facts = isObject(statement.predicate[MLBUILD_PREDICATE_KEY]) ? (statement.predicate[MLBUILD_PREDICATE_KEY] as Record<string, unknown>) : {};
  const entry: StoreEntry = {
    file,
    bundleDigest: digest,
    subjects: statement.subject.map((s) => ({ name: s.name, digest: `sha256:${s.digest.sha256}` as Digest })),
    predicateType: statement.predicateType,
    created: created.toISOString(),
  };
  if (typeof facts.source === 'string' && facts.source !== '') {
    try {
      entry.source = normalizeSourceUrl(facts.source);
    } catch {
      entry.source = facts.source; // keep what was attested; lookups simply will not match it
    }
  }
  if (typeof facts.revision === 'string') entry.revision = facts.revision;
  if (typeof facts.commit === 'string') entry.commit = facts.commit.toLowerCase();
  return entry;
}

/** Shape check for entries read back from index.json (a cache: bad entries are re-derived, never trusted). */
export function isStoreEntry(v: unknown): v is StoreEntry {
  return (
    isObject(v) &&
    typeof v.file === 'string' &&
    isDigest(v.bundleDigest) &&
    typeof v.predicateType === 'string' &&
    typeof v.created === 'string' &&
    Array.isArray(v.subjects) &&
    v.subjects.every((s) => isObject(s) && typeof s.name === 'string' && isDigest(s.digest)) &&
    (v.source === undefined || typeof v.source === 'string') &&
    (v.revision === undefined || typeof v.revision === 'string') &&
    (v.commit === undefined || typeof v.commit === 'string')
  );
}

/** True when an entry matches a revision: the revision asked for, or the commit (full or an abbreviation ≥ 7). */
export function matchesRevision(e: StoreEntry, rev: string): boolean {
  if (e.revision === rev) return true;
  const r = rev.toLowerCase();
  return e.commit !== undefined && /^[a-f0-9]{7,64}$/.test(r) && e.commit.startsWith(r);
}
