import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../../src/attest/keys.js';
import { isMlbuildError } from '../../../src/core/errors.js';
import { parsePolicy } from '../../../src/policy/index.js';

const pub = generateKeyPair().publicKeyPem;
const io = {
  async readFile(path: string): Promise<string> {
    if (path.endsWith('release.pub')) return pub;
    if (path.endsWith('root.json')) return '{"tlogs":[],"certificateAuthorities":[]}';
    throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  },
};
const load = (text: string) => parsePolicy(text, '/p/policy.yaml', io);

async function badPolicy(text: string): Promise<string> {
  try {
    await load(text);
  } catch (e) {
    if (isMlbuildError(e, 'BAD_POLICY')) return e.message;
    throw e;
  }
  throw new Error('policy was accepted');
}

describe('policy loading', () => {
  it('reads the full example of the issue', async () => {
    const p = await load(`
signers:
  - key: ./release.pub
  - keyless: { issuer: https://token.actions.githubusercontent.com, identity: "^https://github.com/acme/" }
trustedRoot: root.json
models:
  requireAttestation: true
  licenses: { allow: [MIT, Apache-2.0] }
  forbidFormats: [pickle]
rules:
  - name: small-models-only
    expr: "model.files.all(f, f.size < 5000000000)"
    message: "model file over 5 GB"
`);
    expect(p.signers.map((s) => s.kind)).toEqual(['key', 'keyless']);
    expect(p.signers[0]).toMatchObject({ kind: 'key', path: '/p/release.pub', pem: pub });
    expect(p.models).toEqual({ requireAttestation: true, licenses: { allow: ['MIT', 'Apache-2.0'] }, forbidFormats: ['pickle'] });
    expect(p.rules.map((r) => r.name)).toEqual(['small-models-only']);
    expect(p.trustedRoot).toBeDefined();
  });

  it('reads files.unaccounted and files.packageModified, with defaults when absent', async () => {
    expect((await load('')).files).toEqual({ unaccounted: { denyKinds: [], fatal: false }, packageModified: 'deny', unopenedArchives: 'warn' });
    const p = await load('files:\n  unaccounted: { maxBytes: 1048576, denyKinds: [Pickle, executable], fatal: true }\n  packageModified: warn\n');
    expect(p.files).toEqual({ unaccounted: { maxBytes: 1048576, denyKinds: ['pickle', 'executable'], fatal: true }, packageModified: 'warn', unopenedArchives: 'warn' });
  });

  it('refuses unknown keys and wrong types under files, naming file:line:col and key', async () => {
    expect(await badPolicy('files:\n  unaccounted:\n    maxSize: 10\n')).toMatch(/^\/p\/policy\.yaml:3:5: files\.unaccounted\.maxSize: unknown key/);
    expect(await badPolicy('files:\n  unacounted: {}\n')).toMatch(/:2:3: files\.unacounted: unknown key/);
    expect(await badPolicy('files:\n  unaccounted: { maxBytes: -1 }\n')).toMatch(/files\.unaccounted\.maxBytes: must be a non-negative integer/);
    expect(await badPolicy('files:\n  unaccounted: { maxBytes: "10MB" }\n')).toMatch(/files\.unaccounted\.maxBytes: must be a non-negative integer/);
    expect(await badPolicy('files:\n  unaccounted: { fatal: 1 }\n')).toMatch(/files\.unaccounted\.fatal: must be true or false/);
    expect(await badPolicy('files:\n  packageModified: allow\n')).toMatch(/:2:20: files\.packageModified: must be deny or warn/);
  });

  it('accepts an empty file as the default policy', async () => {
    expect((await load('')).models.requireAttestation).toBe(true);
  });

  it('names file, line, column and key for unknown keys', async () => {
    expect(await badPolicy('models:\n  requireAttestation: true\n  licences: { allow: [MIT] }\n')).toMatch(/^\/p\/policy\.yaml:3:3: models\.licences: unknown key/);
    expect(await badPolicy('signer: []\n')).toMatch(/^\/p\/policy\.yaml:1:1: signer: unknown key/);
    expect(await badPolicy('rules:\n  - name: a\n    expr: "true"\n    msg: x\n')).toMatch(/:4:5: rules\[0\]\.msg: unknown key/);
  });

  it('names wrong types', async () => {
    expect(await badPolicy('models:\n  requireAttestation: "yes"\n')).toMatch(/:2:23: models\.requireAttestation: must be true or false/);
    expect(await badPolicy('models:\n  licenses: { allow: MIT }\n')).toMatch(/models\.licenses\.allow: must be a list/);
    expect(await badPolicy('models:\n  forbidFormats: [pickel]\n')).toMatch(/models\.forbidFormats\[0\]: unknown format pickel/);
    expect(await badPolicy('signers:\n  - key: ./missing.pub\n')).toMatch(/:2:10: signers\[0\]\.key: /);
    expect(await badPolicy('signers:\n  - { key: ./release.pub, keyless: { issuer: x, identity: y } }\n')).toMatch(/exactly one of key or keyless/);
    expect(await badPolicy('signers:\n  - keyless: { issuer: x }\n')).toMatch(/identity/);
    expect(await badPolicy('- a\n- b\n')).toMatch(/must be a mapping/);
  });

  it('reports CEL syntax errors and bad YAML with their line', async () => {
    expect(await badPolicy('rules:\n  - name: r\n    expr: "model.files.all(f, f.size <"\n')).toMatch(/^\/p\/policy\.yaml:3:11: rules\[0\]\.expr: rule r: CEL syntax error/);
    expect(await badPolicy('models: [\n')).toMatch(/^\/p\/policy\.yaml:\d+:\d+: invalid YAML/);
    expect(await badPolicy('rules:\n  - { name: a, expr: "true" }\n  - { name: a, expr: "false" }\n')).toMatch(/duplicate rule name a/);
  });
});
