// DSSE interop: mlbuild's bundles as go-securesystemslib (sigstore-go, cosign v3) and openssl check them, and a
// key-signed bundle published by sigstore-go verified by mlbuild's DSSE code.
import { createHash, createPublicKey, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BundleJson } from '../../../src/attest/bundle.js';
import { pae, parseEnvelope } from '../../../src/attest/dsse.js';
import { generateKeyPair, keyHint } from '../../../src/attest/keys.js';
import { KeySigner } from '../../../src/attest/signer.js';
import { buildStatement } from '../../../src/attest/statement.js';
import { verifyBundle } from '../../../src/attest/verifier.js';
import { run } from '../../helpers/exec.js';
import { useTempDir } from '../../helpers/tmp.js';

const tmp = useTempDir('dsse-interop');
const alice = generateKeyPair();
const statement = buildStatement([{ name: 'reg.example/ml-service', digest: 'c'.repeat(64) }], 'https://cyclonedx.org/bom', { bomFormat: 'CycloneDX', specVersion: '1.6' });

/** SSH wire string: uint32 length, then the bytes. */
function sshString(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

/** The key ID go-securesystemslib computes for a verifier without one: OpenSSH's SHA256 fingerprint of the key. */
function sshSha256KeyId(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
  const wire = Buffer.concat([sshString(Buffer.from('ecdsa-sha2-nistp256')), sshString(Buffer.from('nistp256')), sshString(point)]);
  return `SHA256:${createHash('sha256').update(wire).digest('base64').replace(/=+$/, '')}`;
}

/**
 * The rules of go-securesystemslib's dsse EnvelopeVerifier as sigstore-go drives it (dsse/verify.go; sigstore-go's
 * verifyEnvelope passes a VerifierAdapter with the public key and no key ID): exactly one signature in a bundle; the
 * verifier's key ID is the SSH SHA256 fingerprint of the key; a signature whose keyid is non-empty and differs is
 * skipped without being checked; otherwise ECDSA/SHA-256 over PAE(payloadType, payload) decides.
 */
function goSecureSystemsLibAccepts(bundle: BundleJson, publicKeyPem: string): boolean {
  const env = bundle.dsseEnvelope!;
  if (env.signatures.length !== 1) return false;
  const key = createPublicKey(publicKeyPem);
  const keyId = sshSha256KeyId(key);
  const body = pae(env.payloadType, Buffer.from(env.payload, 'base64'));
  return env.signatures.some((s) => {
    if (s.keyid !== '' && s.keyid !== keyId) return false;
    return nodeVerify('sha256', body, key, Buffer.from(s.sig, 'base64'));
  });
}

describe('mlbuild bundles in other verifiers', () => {
  it('leaves the DSSE keyid empty and keeps the key hint in verificationMaterial', async () => {
    const b = await new KeySigner(alice.privateKeyPem).signStatement(statement);
    expect(b.dsseEnvelope!.signatures).toHaveLength(1);
    expect(b.dsseEnvelope!.signatures[0].keyid).toBe('');
    expect(b.verificationMaterial.publicKey).toEqual({ hint: keyHint(alice.publicKeyPem) });
  });

  it("pass go-securesystemslib's envelope verifier (key-ID matching as sigstore-go and cosign v3 run it)", async () => {
    const b = await new KeySigner(alice.privateKeyPem).signStatement(statement);
    expect(goSecureSystemsLibAccepts(b, alice.publicKeyPem)).toBe(true);
    // The rule this pins: the old keyid (the hex hint) is not the SSH fingerprint, so that bundle was skipped.
    const old = structuredClone(b);
    old.dsseEnvelope!.signatures[0].keyid = keyHint(alice.publicKeyPem);
    expect(goSecureSystemsLibAccepts(old, alice.publicKeyPem)).toBe(false);
    expect(goSecureSystemsLibAccepts(b, generateKeyPair().publicKeyPem)).toBe(false);
  });

  it('verify with openssl over the DSSE PAE', async () => {
    const b = await new KeySigner(alice.privateKeyPem).signStatement(statement);
    const env = b.dsseEnvelope!;
    const [paeFile, sigFile, pubFile] = ['pae.bin', 'sig.der', 'pub.pem'].map((f) => join(tmp.path, f));
    await writeFile(paeFile, pae(env.payloadType, Buffer.from(env.payload, 'base64')));
    await writeFile(sigFile, Buffer.from(env.signatures[0].sig, 'base64'));
    await writeFile(pubFile, alice.publicKeyPem);
    const ok = await run('openssl', ['dgst', '-sha256', '-verify', pubFile, '-signature', sigFile, paeFile]);
    expect(ok.code).toBe(0);
    await writeFile(paeFile, pae(env.payloadType, Buffer.from(`${Buffer.from(env.payload, 'base64').toString()} `)));
    expect((await run('openssl', ['dgst', '-sha256', '-verify', pubFile, '-signature', sigFile, paeFile])).code).toBe(1);
  });

  it('still verifies older mlbuild bundles whose keyid is the key hint', async () => {
    const b = await new KeySigner(alice.privateKeyPem).signStatement(statement);
    b.dsseEnvelope!.signatures[0].keyid = keyHint(alice.publicKeyPem);
    expect(verifyBundle(b, { keys: [alice.publicKeyPem] }).signer).toMatchObject({ kind: 'key', hint: keyHint(alice.publicKeyPem) });
  });
});

// sigstore-go's examples/bundle-public-key.json and examples/public-key.pem (Apache-2.0), commit
// 2c9fd095dbba6ae5c5c9c0921c63732d0078eff2: a key-signed DSSE bundle with an empty keyid. Its payload is text, not an
// in-toto statement, so mlbuild's bundle reader refuses it as an attestation; its DSSE signature is checked here.
const SIGSTORE_GO = JSON.parse(readFileSync(new URL('./sigstore-go-bundle-public-key.json', import.meta.url), 'utf8')) as BundleJson;
const SIGSTORE_GO_KEY = readFileSync(new URL('./sigstore-go-public-key.pem', import.meta.url), 'utf8');

describe('a key-signed bundle made by sigstore-go', () => {
  it("verifies with mlbuild's envelope parser and PAE, and its key hint is mlbuild's hint of that key", () => {
    const { envelope, payload } = parseEnvelope(SIGSTORE_GO.dsseEnvelope);
    expect(envelope.signatures[0].keyid).toBe('');
    const key = createPublicKey(SIGSTORE_GO_KEY);
    expect(nodeVerify('sha256', pae(envelope.payloadType, payload), key, Buffer.from(envelope.signatures[0].sig, 'base64'))).toBe(true);
    expect(goSecureSystemsLibAccepts(SIGSTORE_GO, SIGSTORE_GO_KEY)).toBe(true);
    expect(SIGSTORE_GO.verificationMaterial.publicKey?.hint).toBe(keyHint(SIGSTORE_GO_KEY));
  });

  it('is refused as an attestation (not an in-toto payload) with BAD_BUNDLE, never as a pass', () => {
    expect(() => verifyBundle(SIGSTORE_GO, { keys: [SIGSTORE_GO_KEY] })).toThrow(expect.objectContaining({ code: 'BAD_BUNDLE' }));
  });
});
