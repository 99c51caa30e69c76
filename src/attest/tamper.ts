// Telling a damaged bundle from an untrusted one: does the DSSE signature fail under the very key the bundle names?
import { X509Certificate, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { bundleKeyMaterial, type ParsedBundle } from './bundle.js';
import { pae } from './dsse.js';
import { keyHint, parsePublicKey } from './keys.js';

/**
 * True when the bundle's signature does not match its content under the key the bundle itself names (its
 * certificate, or the trusted key its hint names): it was changed after signing. False when that key is unknown,
 * so an intact bundle from an untrusted signer is never called tampered.
 */
export function signatureBroken(parsed: ParsedBundle, trustedKeys: string[] = []): boolean {
  const key = namedKey(parsed, trustedKeys);
  if (!key || key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') return false;
  const env = parsed.bundle.content.dsseEnvelope;
  const signed = pae(env.payloadType, env.payload);
  return !env.signatures.some((s) => nodeVerify('sha256', signed, key, s.sig));
}

function namedKey(parsed: ParsedBundle, trustedKeys: string[]): KeyObject | undefined {
  const m = bundleKeyMaterial(parsed.bundle);
  if (m.kind === 'key') return trustedKeys.map((pem) => parsePublicKey(pem)).find((k) => keyHint(k) === m.hint);
  try {
    return new X509Certificate(m.der).publicKey;
  } catch {
    return undefined;
  }
}
