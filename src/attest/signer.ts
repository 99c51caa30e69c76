// The Signer role (statement in, sigstore bundle out) and KeySigner: offline ECDSA P-256 signing with a PEM key.
import { sign as nodeSign, createPublicKey, type KeyObject } from 'node:crypto';
// The DSSE bundler straight from its module: @sigstore/sign's main entry also loads the HTTP stack keyless signing
// needs (make-fetch-happen, cacache), about 0.2 s of start-up that key signing never uses.
import { DSSEBundleBuilder } from '@sigstore/sign/dist/bundler/dsse.js';
import type { BundleBuilder, Signature, Signer as SigstoreSigner } from '@sigstore/sign';
import { describeError, fail, isMlbuildError } from '../core/errors.js';
import { serializeBundle, type BundleJson } from './bundle.js';
import { INTOTO_PAYLOAD_TYPE } from './dsse.js';
import { canonicalPublicPem, keyHint, parsePrivateKey } from './keys.js';
import type { Statement } from './statement.js';

/** A signer turns a statement into a sigstore bundle (v0.3 JSON) holding it in a DSSE envelope. */
export interface Signer {
  /** `key` for a local key pair, `keyless` for Fulcio + Rekor. */
  readonly kind: 'key' | 'keyless';
  signStatement(statement: Statement<unknown>): Promise<BundleJson>;
}

/** Signs statement bytes with a sigstore bundle builder; shared by both signers. */
export async function buildDsseBundle(builder: BundleBuilder, statement: Statement<unknown>): Promise<BundleJson> {
  const data = Buffer.from(JSON.stringify(statement), 'utf8');
  const bundle = await builder.create({ data, type: INTOTO_PAYLOAD_TYPE });
  // The DSSE keyid stays empty, as cosign, sigstore-go and model_signing write it: go-securesystemslib's envelope
  // verifier skips a signature whose non-empty keyid differs from its own fingerprint of the key. The key hint
  // lives in verificationMaterial.publicKey.hint (the keyid is not signed, so clearing it changes no signature).
  for (const s of bundle.content.$case === 'dsseEnvelope' ? bundle.content.dsseEnvelope.signatures : []) s.keyid = '';
  return serializeBundle(bundle);
}

/** Offline signer: ECDSA P-256 / SHA-256 over the DSSE PAE, DER signature, public key named by its hint. */
export class KeySigner implements Signer {
  readonly kind = 'key' as const;
  /** Hex SHA-256 of the SPKI PEM of the signing key's public half. */
  readonly hint: string;
  /** The SPKI PEM of the public half. */
  readonly publicKeyPem: string;
  private readonly builder: DSSEBundleBuilder;

  constructor(privateKey: KeyObject | string, password?: string) {
    const key = typeof privateKey === 'string' ? parsePrivateKey(privateKey, password) : privateKey;
    if (key.type !== 'private') fail('BAD_KEY', 'KeySigner needs a private key');
    this.publicKeyPem = canonicalPublicPem(createPublicKey(key));
    this.hint = keyHint(this.publicKeyPem);
    const signer: SigstoreSigner = {
      sign: async (data: Buffer): Promise<Signature> => ({
        signature: nodeSign('sha256', data, key), // DER-encoded ECDSA by default
        key: { $case: 'publicKey', publicKey: this.publicKeyPem, hint: this.hint },
      }),
    };
    this.builder = new DSSEBundleBuilder({ signer, witnesses: [] });
  }

  async signStatement(statement: Statement<unknown>): Promise<BundleJson> {
    try {
      return await buildDsseBundle(this.builder, statement);
    } catch (e) {
      if (isMlbuildError(e)) throw e;
      fail('BAD_KEY', `signing failed: ${describeError(e)}`, { cause: e });
    }
  }
}
