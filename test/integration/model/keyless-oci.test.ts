// Keyless signing round trip against @sigstore/mock (Fulcio + Rekor over HTTP), and the oci:// store on the
// test registry.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/index.js';
import { fakeIdToken, startMockSigstore, type MockSigstore } from '../../unit/attest/mock-sigstore.js';
import { kinds, makeWorld, report, type ModelWorld } from './setup.js';

const ISSUER = 'https://token.actions.example.com';
const SAN = 'https://github.com/acme/models/.github/workflows/release.yml@refs/heads/main';

let w: ModelWorld;
let mock: MockSigstore;
let root: string;

beforeAll(async () => {
  w = await makeWorld();
  mock = await startMockSigstore();
  root = join(w.tmp.path, 'trusted_root.json');
  await writeFile(root, JSON.stringify(mock.trustedRoot));
});

afterAll(async () => {
  await mock?.close();
  await w?.server.close();
  await w?.tmp.cleanup();
});

describe('keyless model attestation', () => {
  it('signs with mock Fulcio/Rekor and verifies offline against the policy identity', async () => {
    const store = join(w.tmp.path, 'keyless-store');
    const a = await runCli(['attest', 'model', `git:${w.url('org/tiny')}`, '--keyless', '--fulcio-url', mock.url, '--rekor-url', mock.url, '--store', store], {
      env: { SIGSTORE_ID_TOKEN: fakeIdToken({ iss: ISSUER, sub: SAN }) },
    });
    expect(a.code, a.stderr).toBe(0);
    const good = join(w.tmp.path, 'keyless.yaml');
    await writeFile(good, `signers:\n  - keyless: { issuer: "${ISSUER}", identity: "^https://github.com/acme/" }\ntrustedRoot: ${root}\n`);
    const ok = await runCli(['verify', 'model', `git:${w.url('org/tiny')}`, '--policy', good, '--store', store, '--json']);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect((report(ok) as unknown as { attestation: { signer: { identity: string } } }).attestation.signer.identity).toBe(SAN);
    const wrong = join(w.tmp.path, 'keyless-wrong.yaml');
    await writeFile(wrong, `signers:\n  - keyless: { issuer: "${ISSUER}", identity: "^https://github.com/evil/" }\n`);
    const bad = await runCli(['verify', 'model', `git:${w.url('org/tiny')}`, '--policy', wrong, '--trusted-root', root, '--store', store, '--json']);
    expect(bad.code).toBe(1);
    expect(kinds(bad)).toEqual(['bad-signature', 'unsigned']);
  });

  it('fails keyless signing without a token (exit 2)', async () => {
    const r = await runCli(['attest', 'model', `git:${w.url('org/tiny')}`, '--keyless', '--fulcio-url', mock.url, '--rekor-url', mock.url, '--no-store'], { env: { SIGSTORE_ID_TOKEN: '' } });
    expect(r.code).toBe(2);
  });
});

describe('oci:// store', () => {
  const registry = process.env.MLBUILD_TEST_REGISTRY ?? '127.0.0.1:5000';
  it('pushes the bundle as an OCI artifact and finds it again by source', async (ctx) => {
    const up = await fetch(`http://${registry}/v2/`).then((r) => r.status === 200, () => false);
    if (!up) ctx.skip();
    const store = `oci://${registry}/mlbuild-test/attestations-${randomBytes(4).toString('hex')}`;
    const a = await runCli(['attest', 'model', `git:${w.url('org/tiny')}`, '--key', w.key, '--store', store, '--json']);
    expect(a.code, a.stderr).toBe(0);
    expect((JSON.parse(a.stdout) as { stored: string }).stored).toMatch(/^oci:\/\/.*@sha256:[a-f0-9]{64}$/);
    const clone = await w.clone('org/tiny');
    const r = await runCli(['verify', 'model', `git:${clone}`, '--key', w.pub, '--store', store, '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const list = await runCli(['attest', 'list', '--store', store, '--json']);
    expect((JSON.parse(list.stdout) as { entries: unknown[] }).entries).toHaveLength(1);
  });
});
