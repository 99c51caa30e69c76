// Choosing the attestation store: `--store DIR` or `oci://REGISTRY/REPO`, else $MLBUILD_STORE, else ~/.mlbuild/attestations.
import type { Digest } from '../core/digest.js';
import { fail } from '../core/errors.js';
import { AttestationStore, defaultStoreDir, type StoreQuery } from '../attest/store.js';
import type { StoreEntry } from '../attest/store-entry.js';
import type { BundleJson } from '../attest/bundle.js';

/** What the model workflows need of a store (the local folder store and the OCI store both provide it). */
export interface ModelStore {
  /** Where it is, for messages: a folder or `oci://…`. */
  readonly location: string;
  put(bundle: string | Uint8Array | BundleJson): Promise<StoreEntry>;
  list(): Promise<StoreQuery>;
  findBySource(source: string, revision?: string): Promise<StoreQuery>;
  findBySubject(digest: Digest | string): Promise<StoreQuery>;
  readBundle(entry: StoreEntry): Promise<{ bytes: Buffer; json: BundleJson }>;
  /** Checks (and makes) what writing will need, before any slow work; optional. */
  prepare?(): Promise<void>;
}

/** Opens the store named by `spec` (or the environment's default); the OCI client loads only for oci:// stores. */
export async function openModelStore(spec?: string, env: NodeJS.ProcessEnv = process.env): Promise<ModelStore> {
  const where = spec && spec !== '' ? spec : defaultStoreDir(env);
  if (where.startsWith('oci://')) return new (await import('./model-store-oci.js')).OciAttestationStore(where);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(where)) fail('USAGE', `unsupported store ${where} (use a folder or oci://REGISTRY/REPO)`);
  const store = new AttestationStore(where) as AttestationStore & { location: string };
  store.location = where;
  return store;
}

/** Opens a store to read from: a folder the user named (spec given) must exist (NOT_FOUND naming it, not an empty list). */
export async function openExistingModelStore(spec?: string, env: NodeJS.ProcessEnv = process.env): Promise<ModelStore> {
  const store = await openModelStore(spec, env);
  if (spec && store instanceof AttestationStore) await store.assertExists();
  return store;
}
