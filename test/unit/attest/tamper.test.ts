// Telling a bundle altered after signing from an intact one by an untrusted signer.
import { describe, expect, it } from 'vitest';
import { parseBundle } from '../../../src/attest/bundle.js';
import { generateKeyPair } from '../../../src/attest/keys.js';
import { KeySigner } from '../../../src/attest/signer.js';
import { buildStatement } from '../../../src/attest/statement.js';
import { signatureBroken } from '../../../src/attest/tamper.js';

const statement = buildStatement([{ name: 'reg.example/x', digest: 'd'.repeat(64) }], 'https://cyclonedx.org/bom', { bomFormat: 'CycloneDX', specVersion: '1.6' });
const alice = generateKeyPair();
const bob = generateKeyPair();

describe('signatureBroken', () => {
  it('is false for an intact bundle, whoever is trusted', async () => {
    const b = await new KeySigner(alice.privateKeyPem).signStatement(statement);
    expect(signatureBroken(parseBundle(b), [alice.publicKeyPem])).toBe(false);
    expect(signatureBroken(parseBundle(b), [bob.publicKeyPem])).toBe(false);
  });

  it('is true when the payload changed under the trusted key the hint names, unknown otherwise', async () => {
    const b = await new KeySigner(alice.privateKeyPem).signStatement(statement);
    const st = JSON.parse(Buffer.from(b.dsseEnvelope!.payload, 'base64').toString()) as { predicate: { specVersion: string } };
    st.predicate.specVersion = '1.5';
    b.dsseEnvelope!.payload = Buffer.from(JSON.stringify(st)).toString('base64');
    expect(signatureBroken(parseBundle(b), [bob.publicKeyPem, alice.publicKeyPem])).toBe(true);
    expect(signatureBroken(parseBundle(b), [bob.publicKeyPem])).toBe(false); // the named key is not known
  });
});
