// Choosing the attestation store: `--store DIR` or `oci://REGISTRY/REPO`, else the default the wiring resolved.
import type { Digest } from '../core/digest.js';
import { fail } from '../core/errors.js';
import { AttestationStore, type StoreQuery } from '../attest/store.js';
import type { RegistryClientOptions } from '../registry/client.js';
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

/** Where stores are found when no spec is given, and how oci:// stores reach their registry. */
export interface StoreDefaults {
  /** The store used without a spec (the wiring resolves $MLBUILD_STORE, else ~/.mlbuild/attestations). */
  defaultStore: string;
  registry?: RegistryClientOptions;
}

/** Opens the store named by `spec` (or the default); the OCI client loads only for oci:// stores. */
export async function openModelStore(spec: string | undefined, defaults: StoreDefaults): Promise<ModelStore> {
  const where = spec && spec !== '' ? spec : defaults.defaultStore;
  if (where.startsWith('oci://')) {
    const [{ OciAttestationStore }, { RegistryClient }] = await Promise.all([import('./model-store-oci.js'), import('../registry/client.js')]);
    return new OciAttestationStore(where, new RegistryClient(defaults.registry));
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(where)) fail('USAGE', `unsupported store ${where} (use a folder or oci://REGISTRY/REPO)`);
  const store = new AttestationStore(where) as AttestationStore & { location: string };
  store.location = where;
  return store;
}

/** Opens a store to read from: a folder the user named (spec given) must exist (NOT_FOUND naming it, not an empty list). */
export async function openExistingModelStore(spec: string | undefined, defaults: StoreDefaults): Promise<ModelStore> {
  const store = await openModelStore(spec, defaults);
  if (spec && store instanceof AttestationStore) await store.assertExists();
  return store;
}
