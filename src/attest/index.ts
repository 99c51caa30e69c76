// The attest surface: keys, in-toto statements, DSSE, sigstore bundles, signers, offline verification,
// the OMS-compatible model statement, and the local attestation store.
export {
  generateKeyPair,
  writeKeyPair,
  loadPrivateKey,
  loadPublicKey,
  parsePrivateKey,
  parsePublicKey,
  keyHint,
  canonicalPublicPem,
  PRIVATE_KEY_FILE,
  PUBLIC_KEY_FILE,
  type KeyPairPem,
  type PublicKeyInfo,
} from './keys.js';
export {
  buildStatement,
  parseStatement,
  isCycloneDxPredicateType,
  STATEMENT_TYPE_V1,
  STATEMENT_TYPE_V01,
  CYCLONEDX_PREDICATE_TYPE,
  type Statement,
  type Subject,
} from './statement.js';
export { pae, parseEnvelope, intotoPayload, INTOTO_PAYLOAD_TYPE, type DsseEnvelope } from './dsse.js';
export { parseBundle, serializeBundle, bundleKeyMaterial, BUNDLE_MEDIA_TYPE, type BundleJson, type ParsedBundle } from './bundle.js';
export { KeySigner, type Signer } from './signer.js';
export { KeylessSigner, ID_TOKEN_ENV, type KeylessOptions } from './keyless-signer.js';
export { parseTrustedRoot } from './trust.js';
export {
  verifyBundle,
  identityMatches,
  type VerifyOptions,
  type VerifiedBundle,
  type VerifiedSigner,
  type KeylessIdentity,
} from './verifier.js';
export {
  buildModelStatement,
  parseModelStatement,
  omsSubjectDigest,
  folderSubjectDigest,
  comparePathComponents,
  isIgnoredPath,
  OMS_PREDICATE_TYPE,
  MLBUILD_PREDICATE_KEY,
  DEFAULT_IGNORE_PATHS,
  type ModelFacts,
  type ModelFile,
  type ModelPredicate,
  type ModelResource,
  type ModelStatement,
} from './model-statement.js';
export { compareModel, type ModelFinding } from './model-compare.js';
export { normalizeSourceUrl, sameSource } from './source-url.js';
export { AttestationStore, defaultStoreDir, INDEX_FILE, type StoreQuery } from './store.js';
export type { StoreEntry } from './store-entry.js';
