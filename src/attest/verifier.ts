// Offline bundle verification with @sigstore/verify: trusted keys, or keyless certificates plus identity policy.
import type { KeyObject } from 'node:crypto';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, Verifier, type SignedEntity, type Signer as SigstoreSigner } from '@sigstore/verify';
import { describeError, fail } from '../core/errors.js';
import { parseBundle, type BundleJson, type ParsedBundle } from './bundle.js';
import { canonicalPublicPem, keyHint, parsePublicKey } from './keys.js';
import type { Statement } from './statement.js';
import { keylessTrustMaterial, keyTrustMaterial, parseTrustedRoot } from './trust.js';

/** An accepted keyless signer: the OIDC issuer (exact) and the certificate SAN (exact string or pattern). */
export interface KeylessIdentity {
  issuer: string;
  /** Exact SAN, e.g. `https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main` or an email. */
  identity?: string;
  /** A pattern the whole SAN must match; strings are anchored (`^(?:…)$`), RegExp objects are used as given. */
  identityRegex?: string | RegExp;
}

/** What to trust: public keys (SPKI PEM) and/or keyless identities checked against a trusted root. */
export interface VerifyOptions {
  keys?: string[];
  keyless?: KeylessIdentity[];
  /** A sigstore `trusted_root.json` (text or parsed); required for keyless bundles. */
  trustedRoot?: unknown;
}

/** Who signed a verified bundle. */
export type VerifiedSigner =
  | { kind: 'key'; hint: string; publicKeyPem: string }
  | { kind: 'keyless'; issuer: string; identity: string };

/** A bundle whose signature chained to trusted material: the statement is now trustworthy. */
export interface VerifiedBundle {
  statement: Statement;
  signer: VerifiedSigner;
  bundle: ParsedBundle;
}

/** Verifies a bundle offline; BAD_BUNDLE when malformed, VERIFY_FAILED when it does not chain to trusted material. */
export function verifyBundle(input: string | Uint8Array | BundleJson | unknown, opts: VerifyOptions): VerifiedBundle {
  const parsed = parseBundle(input);
  const root = opts.trustedRoot === undefined ? undefined : parseTrustedRoot(opts.trustedRoot);
  let entity: SignedEntity;
  try {
    entity = toSignedEntity(parsed.bundle);
  } catch (e) {
    fail('BAD_BUNDLE', `bundle verification material is malformed: ${describeError(e)}`, { cause: e });
  }
  const signer =
    parsed.bundle.verificationMaterial.content.$case === 'publicKey'
      ? verifyWithKeys(entity, parsed, opts.keys ?? [], root)
      : verifyKeyless(entity, opts.keyless ?? [], root);
  return { statement: parsed.statement, signer, bundle: parsed };
}

function verifyWithKeys(entity: SignedEntity, parsed: ParsedBundle, pems: string[], root?: TrustedRoot): VerifiedSigner {
  if (pems.length === 0) fail('VERIFY_FAILED', 'bundle is signed with a key and no trusted public keys were given');
  const keys = pems.map((pem, i) => {
    const key = parsePublicKey(pem, `trusted key #${i + 1}`);
    return { key, pem: canonicalPublicPem(key), hint: keyHint(key) };
  });
  const hint = parsed.bundle.verificationMaterial.content.$case === 'publicKey' ? parsed.bundle.verificationMaterial.content.publicKey.hint : '';
  keys.sort((a, b) => Number(b.hint === hint) - Number(a.hint === hint)); // the named key first, then the others
  // Without a trusted root the log entries cannot be checked offline; they are then ignored, never trusted.
  const checked = root ? entity : { ...entity, tlogEntries: [], timestamps: [] };
  const errors: string[] = [];
  for (const k of keys) {
    try {
      runVerifier(checked, k.key, root);
      return { kind: 'key', hint: k.hint, publicKeyPem: k.pem };
    } catch (e) {
      errors.push(`${k.hint.slice(0, 12)}: ${describeError(e)}`);
    }
  }
  fail('VERIFY_FAILED', `signature does not verify with any of ${keys.length} trusted key(s): ${errors.join('; ')}`);
}

function runVerifier(entity: SignedEntity, key: KeyObject, root?: TrustedRoot): void {
  const thresholds = { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 };
  new Verifier(keyTrustMaterial(key, root), thresholds).verify(entity);
}

function verifyKeyless(entity: SignedEntity, policies: KeylessIdentity[], root?: TrustedRoot): VerifiedSigner {
  if (!root) fail('VERIFY_FAILED', 'bundle is signed keyless and no trusted root was given');
  if (policies.length === 0) fail('VERIFY_FAILED', 'bundle is signed keyless and no accepted identities were given');
  let signer: SigstoreSigner;
  try {
    signer = new Verifier(keylessTrustMaterial(root), { tlogThreshold: 1, ctlogThreshold: 1, timestampThreshold: 1 }).verify(entity);
  } catch (e) {
    fail('VERIFY_FAILED', `keyless bundle does not verify: ${describeError(e)}`, { cause: e });
  }
  const issuer = signer.identity?.extensions?.issuer ?? '';
  const identity = signer.identity?.subjectAlternativeName ?? '';
  if (!policies.some((p) => identityMatches(p, issuer, identity))) {
    fail('VERIFY_FAILED', `keyless signer ${identity} (issuer ${issuer}) is not an accepted identity`);
  }
  return { kind: 'keyless', issuer, identity };
}

/** True when a certificate's issuer and SAN satisfy one accepted identity. */
export function identityMatches(p: KeylessIdentity, issuer: string, san: string): boolean {
  if (p.issuer !== issuer || san === '') return false;
  if (p.identity !== undefined && p.identity !== san) return false;
  if (p.identityRegex !== undefined) {
    const re = typeof p.identityRegex === 'string' ? new RegExp(`^(?:${p.identityRegex})$`) : p.identityRegex;
    if (!re.test(san)) return false;
  }
  return p.identity !== undefined || p.identityRegex !== undefined;
}
