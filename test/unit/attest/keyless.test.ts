import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeylessSigner } from '../../../src/attest/keyless-signer.js';
import { buildStatement } from '../../../src/attest/statement.js';
import { verifyBundle } from '../../../src/attest/verifier.js';
import { fakeIdToken, startMockSigstore, type MockSigstore } from './mock-sigstore.js';

const ISSUER = 'https://token.actions.example.com';
const SAN = 'https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main';
const statement = buildStatement([{ name: 'reg.example/ml-service', digest: 'b'.repeat(64) }], 'https://cyclonedx.org/bom', { bomFormat: 'CycloneDX' });

let mock: MockSigstore;
beforeAll(async () => {
  mock = await startMockSigstore();
});
afterAll(async () => {
  await mock?.close();
});

function signer(token = fakeIdToken({ iss: ISSUER, sub: SAN })): KeylessSigner {
  return new KeylessSigner({ identityToken: token, fulcioURL: mock.url, rekorURL: mock.url, retries: 0, env: {} });
}

describe('keyless signing with mock Fulcio and Rekor', () => {
  it('round-trips offline against the mock trusted root and reports the identity', async () => {
    const bundle = await signer().signStatement(statement);
    expect(bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(bundle.verificationMaterial.certificate).toBeDefined();
    expect(bundle.verificationMaterial.tlogEntries).toHaveLength(1);
    expect(bundle.verificationMaterial.tlogEntries[0].kindVersion?.kind).toBe('dsse');
    const got = verifyBundle(JSON.stringify(bundle), {
      keyless: [{ issuer: ISSUER, identityRegex: 'https://github\\.com/org/repo/.*' }],
      trustedRoot: mock.trustedRoot,
    });
    expect(got.signer).toEqual({ kind: 'keyless', issuer: ISSUER, identity: SAN });
    expect(got.statement).toEqual(statement);
    expect(mock.requests).toContain('POST /api/v2/signingCert');
    expect(mock.requests).toContain('POST /api/v1/log/entries');
  });

  it('also round-trips with intoto Rekor entries', async () => {
    const s = new KeylessSigner({
      identityToken: fakeIdToken({ iss: ISSUER, sub: SAN }),
      fulcioURL: mock.url,
      rekorURL: mock.url,
      tlogEntryType: 'intoto',
      retries: 0,
    });
    const bundle = await s.signStatement(statement);
    expect(bundle.verificationMaterial.tlogEntries[0].kindVersion?.kind).toBe('intoto');
    const got = verifyBundle(bundle, { keyless: [{ issuer: ISSUER, identity: SAN }], trustedRoot: mock.trustedRoot });
    expect(got.signer.kind).toBe('keyless');
  });

  it('rejects a wrong identity, a wrong issuer, no policy and no trusted root', async () => {
    const bundle = JSON.stringify(await signer().signStatement(statement));
    const root = mock.trustedRoot;
    const fails = [
      { keyless: [{ issuer: ISSUER, identity: 'https://github.com/evil/repo' }], trustedRoot: root },
      { keyless: [{ issuer: 'https://accounts.example.com', identity: SAN }], trustedRoot: root },
      { keyless: [{ issuer: ISSUER, identityRegex: 'https://github\\.com/org' }], trustedRoot: root }, // anchored
      { keyless: [], trustedRoot: root },
      { keyless: [{ issuer: ISSUER, identity: SAN }] },
    ];
    for (const opts of fails) expect(() => verifyBundle(bundle, opts), JSON.stringify(opts)).toThrow(expect.objectContaining({ code: 'VERIFY_FAILED' }));
    expect(verifyBundle(bundle, { keyless: [{ issuer: ISSUER, identity: SAN }], trustedRoot: root }).signer.kind).toBe('keyless');
  });

  it('fails verification against another CA (a second mock)', async () => {
    const bundle = await signer().signStatement(statement);
    const other = await startMockSigstore();
    try {
      expect(() => verifyBundle(bundle, { keyless: [{ issuer: ISSUER, identity: SAN }], trustedRoot: other.trustedRoot })).toThrow(
        expect.objectContaining({ code: 'VERIFY_FAILED' }),
      );
    } finally {
      await other.close();
    }
  });

  it('detects a tampered keyless payload', async () => {
    const bundle = await signer().signStatement(statement);
    const payload = Buffer.from(bundle.dsseEnvelope!.payload, 'base64');
    payload[payload.indexOf('CycloneDX')] = 'X'.charCodeAt(0);
    const tampered = { ...bundle, dsseEnvelope: { ...bundle.dsseEnvelope!, payload: payload.toString('base64') } };
    expect(() => verifyBundle(tampered, { keyless: [{ issuer: ISSUER, identity: SAN }], trustedRoot: mock.trustedRoot })).toThrow(
      expect.objectContaining({ code: 'VERIFY_FAILED' }),
    );
  });

  it('needs a token (USAGE) and reports an unreachable Fulcio as ENVIRONMENT', async () => {
    const noToken = new KeylessSigner({ fulcioURL: mock.url, rekorURL: mock.url, retries: 0, env: {} });
    await expect(noToken.signStatement(statement)).rejects.toMatchObject({ code: 'USAGE' });
    const down = new KeylessSigner({ identityToken: fakeIdToken({ iss: ISSUER, sub: SAN }), fulcioURL: 'http://127.0.0.1:1', rekorURL: mock.url, retries: 0 });
    await expect(down.signStatement(statement)).rejects.toMatchObject({ code: 'ENVIRONMENT' });
  });
});
