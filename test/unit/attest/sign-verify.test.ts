import { sign as nodeSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseBundle } from '../../../src/attest/bundle.js';
import { pae } from '../../../src/attest/dsse.js';
import { generateKeyPair, keyHint, parsePrivateKey } from '../../../src/attest/keys.js';
import { KeySigner } from '../../../src/attest/signer.js';
import { buildStatement, type Statement } from '../../../src/attest/statement.js';
import { verifyBundle } from '../../../src/attest/verifier.js';
import type { BundleJson } from '../../../src/attest/bundle.js';

const statement = buildStatement([{ name: 'reg.example/ml-service', digest: 'c'.repeat(64) }], 'https://cyclonedx.org/bom', {
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
});
const alice = generateKeyPair();
const bob = generateKeyPair();
const VERIFY_FAILED = expect.objectContaining({ code: 'VERIFY_FAILED' });
const BAD_BUNDLE = expect.objectContaining({ code: 'BAD_BUNDLE' });

async function signed(st: Statement<unknown> = statement, pem = alice.privateKeyPem): Promise<BundleJson> {
  return new KeySigner(pem).signStatement(st);
}

describe('key-signed bundles', () => {
  it('have the sigstore v0.3 shape with the key hint and an in-toto DSSE envelope', async () => {
    const b = await signed();
    expect(b.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(b.verificationMaterial).toEqual({
      publicKey: { hint: keyHint(alice.publicKeyPem) },
      tlogEntries: [],
      timestampVerificationData: { rfc3161Timestamps: [] },
    });
    expect(b.dsseEnvelope?.payloadType).toBe('application/vnd.in-toto+json');
    expect(JSON.parse(Buffer.from(b.dsseEnvelope!.payload, 'base64').toString())).toEqual(statement);
    // the signature is plain ECDSA P-256/SHA-256 (DER) over the PAE: checkable without sigstore
    const sig = Buffer.from(b.dsseEnvelope!.signatures[0].sig, 'base64');
    expect(sig[0]).toBe(0x30);
  });

  it('round-trip: verifies with the signer key and returns the statement and the matching key', async () => {
    const b = await signed();
    const got = verifyBundle(JSON.stringify(b), { keys: [bob.publicKeyPem, alice.publicKeyPem] });
    expect(got.statement).toEqual(statement);
    expect(got.signer).toEqual({ kind: 'key', hint: keyHint(alice.publicKeyPem), publicKeyPem: alice.publicKeyPem });
  });

  it('fails when a payload byte is changed', async () => {
    const b = await signed();
    const payload = Buffer.from(b.dsseEnvelope!.payload, 'base64');
    const i = payload.indexOf('1.6') + 2;
    payload[i] = '7'.charCodeAt(0); // still valid JSON, still a valid statement
    const tampered = { ...b, dsseEnvelope: { ...b.dsseEnvelope!, payload: payload.toString('base64') } };
    expect(parseBundle(tampered).statement.predicate.specVersion).toBe('1.7');
    expect(() => verifyBundle(tampered, { keys: [alice.publicKeyPem] })).toThrow(VERIFY_FAILED);
  });

  it('fails when the signature is changed', async () => {
    const b = await signed();
    const sig = Buffer.from(b.dsseEnvelope!.signatures[0].sig, 'base64');
    sig[sig.length - 1] ^= 0x01;
    const tampered = { ...b, dsseEnvelope: { ...b.dsseEnvelope!, signatures: [{ ...b.dsseEnvelope!.signatures[0], sig: sig.toString('base64') }] } };
    expect(() => verifyBundle(tampered, { keys: [alice.publicKeyPem] })).toThrow(VERIFY_FAILED);
  });

  it('fails with the wrong key, with no keys, and when the hint names a trusted key it was not signed with', async () => {
    const b = await signed();
    expect(() => verifyBundle(b, { keys: [bob.publicKeyPem] })).toThrow(VERIFY_FAILED);
    expect(() => verifyBundle(b, { keys: [] })).toThrow(VERIFY_FAILED);
    const eve = generateKeyPair();
    const forged = await signed(statement, eve.privateKeyPem);
    forged.verificationMaterial.publicKey = { hint: keyHint(alice.publicKeyPem) }; // claims to be alice
    forged.dsseEnvelope!.signatures[0].keyid = keyHint(alice.publicKeyPem);
    expect(() => verifyBundle(forged, { keys: [alice.publicKeyPem, bob.publicKeyPem] })).toThrow(VERIFY_FAILED);
  });

  it('ignores an unknown hint: the signature decides which trusted key matches', async () => {
    const b = await signed();
    b.verificationMaterial.publicKey = { hint: 'some-other-tools-key-id' };
    expect(verifyBundle(b, { keys: [bob.publicKeyPem, alice.publicKeyPem] }).signer).toMatchObject({ hint: keyHint(alice.publicKeyPem) });
  });

  it('verifies a bundle whose signature was made outside sigstore-js (interop with other signers)', async () => {
    const b = await signed();
    const payload = Buffer.from(b.dsseEnvelope!.payload, 'base64');
    const sig = nodeSign('sha256', pae('application/vnd.in-toto+json', payload), parsePrivateKey(alice.privateKeyPem));
    const other = { ...b, dsseEnvelope: { ...b.dsseEnvelope!, signatures: [{ keyid: '', sig: sig.toString('base64') }] } };
    expect(verifyBundle(other, { keys: [alice.publicKeyPem] }).signer.kind).toBe('key');
  });

  it('reports malformed bundles as BAD_BUNDLE', async () => {
    const b = await signed();
    const noEnvelope: Record<string, unknown> = { ...b };
    delete noEnvelope.dsseEnvelope;
    const bad: unknown[] = [
      '{not json',
      'null',
      { ...b, mediaType: 'application/json' },
      noEnvelope,
      { ...b, dsseEnvelope: { ...b.dsseEnvelope!, signatures: [] } },
      { ...b, dsseEnvelope: { ...b.dsseEnvelope!, payloadType: 'text/plain' } },
      { ...b, dsseEnvelope: { ...b.dsseEnvelope!, payload: Buffer.from('{"_type":"x"}').toString('base64') } },
      { ...b, verificationMaterial: { tlogEntries: [] } },
    ];
    for (const x of bad) expect(() => verifyBundle(x, { keys: [alice.publicKeyPem] }), JSON.stringify(x).slice(0, 60)).toThrow(BAD_BUNDLE);
  });

  it('ignores tlog entries it cannot check offline in key mode (never counts them as trust)', async () => {
    const b = await signed();
    const withEntry = JSON.parse(JSON.stringify(b)) as BundleJson;
    withEntry.verificationMaterial.tlogEntries = [
      {
        logIndex: '1',
        logId: { keyId: Buffer.alloc(32).toString('base64') },
        kindVersion: { kind: 'dsse', version: '0.0.1' },
        integratedTime: '1700000000',
        inclusionPromise: undefined,
        inclusionProof: { logIndex: '1', rootHash: '', treeSize: '1', hashes: [], checkpoint: { envelope: 'x' } },
        canonicalizedBody: Buffer.from('{}').toString('base64'),
      },
    ];
    expect(verifyBundle(withEntry, { keys: [alice.publicKeyPem] }).signer.kind).toBe('key');
    expect(() => verifyBundle(withEntry, { keys: [bob.publicKeyPem] })).toThrow(VERIFY_FAILED);
  });
});
