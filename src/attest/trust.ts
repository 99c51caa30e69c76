// Trust material for offline verification: trusted public keys, and a sigstore trusted root for keyless bundles.
import type { KeyObject } from 'node:crypto';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toTrustMaterial, type TrustMaterial } from '@sigstore/verify';
import { describeError, fail } from '../core/errors.js';
import { isObject } from './statement.js';

/** Parses a sigstore `trusted_root.json` value (CAs, Rekor/CT log keys, TSAs); BAD_KEY when unusable. */
export function parseTrustedRoot(json: unknown, what = 'trusted root'): TrustedRoot {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (e) {
      fail('BAD_KEY', `${what} is not JSON`, { cause: e });
    }
  }
  if (!isObject(value) || !Array.isArray(value.certificateAuthorities) || !Array.isArray(value.tlogs)) {
    fail('BAD_KEY', `${what} is not a sigstore trusted root (no certificateAuthorities/tlogs)`);
  }
  try {
    return TrustedRoot.fromJSON(value);
  } catch (e) {
    fail('BAD_KEY', `${what} is malformed: ${describeError(e)}`, { cause: e });
  }
}

/** Trust material for a bundle signed by exactly `key`; logs and TSAs come from `root` when given. */
export function keyTrustMaterial(key: KeyObject, root?: TrustedRoot): TrustMaterial {
  const base = root ? toTrustMaterial(root) : emptyTrust();
  // The bundle's hint is only a lookup aid: the caller decides which key is tried, so any hint maps to `key`.
  return { ...base, certificateAuthorities: [], publicKey: () => ({ publicKey: key, validFor: () => true }) };
}

/** Trust material for certificate (keyless) bundles: Fulcio CAs, CT logs, Rekor logs and TSAs of `root`; no keys. */
export function keylessTrustMaterial(root: TrustedRoot): TrustMaterial {
  try {
    return toTrustMaterial(root);
  } catch (e) {
    fail('BAD_KEY', `trusted root is unusable: ${describeError(e)}`, { cause: e });
  }
}

function emptyTrust(): TrustMaterial {
  return {
    certificateAuthorities: [],
    timestampAuthorities: [],
    tlogs: [],
    ctlogs: [],
    publicKey: () => fail('VERIFY_FAILED', 'no trusted key'),
  };
}
