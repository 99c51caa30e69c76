import { describe, expect, it } from 'vitest';
import { checkLicense, compileRule, defaultPolicy, evaluatePolicy, formatOfPath, type Policy, type PolicyModel } from '../../../src/policy/index.js';

function model(over: Partial<PolicyModel> = {}): PolicyModel {
  return {
    name: 'huggingface.co/org/tiny',
    source: 'https://huggingface.co/org/tiny',
    revision: 'main',
    commit: 'a'.repeat(40),
    license: 'MIT',
    card: { pipeline_tag: 'text-classification' },
    subjectDigest: 'b'.repeat(64),
    attested: true,
    signer: { kind: 'key', identity: null, issuer: null, hint: 'c'.repeat(64) },
    files: [
      { path: 'model.safetensors', digest: 'd'.repeat(64), size: 1000, format: 'safetensors' },
      { path: 'README.md', digest: 'e'.repeat(64), size: 10, format: null },
    ],
    formats: ['safetensors'],
    ...over,
  };
}

function policy(over: Partial<Policy['models']> = {}, rules: Policy['rules'] = []): Policy {
  const p = defaultPolicy();
  return { ...p, models: { ...p.models, ...over }, rules };
}

describe('license checks', () => {
  it('maps Hugging Face ids and handles allow, deny and simple expressions', () => {
    expect(checkLicense('MIT', { allow: ['mit'] })).toEqual({ ok: true });
    expect(checkLicense('apache-2.0', { allow: ['Apache-2.0'] })).toEqual({ ok: true });
    expect(checkLicense('GPL-3.0-only', { allow: ['MIT'] })).toMatchObject({ ok: false, reason: 'denied' });
    expect(checkLicense('gpl-3.0', { deny: ['GPL-3.0-only'] })).toMatchObject({ ok: false, reason: 'denied' });
    expect(checkLicense('MIT OR GPL-3.0-only', { deny: ['GPL-3.0-only'] })).toEqual({ ok: true });
    expect(checkLicense('MIT AND GPL-3.0-only', { allow: ['MIT'] })).toMatchObject({ ok: false });
    expect(checkLicense(null, { allow: ['MIT'] })).toMatchObject({ ok: false, reason: 'unknown' });
    expect(checkLicense(null, { deny: ['MIT'] })).toEqual({ ok: true });
  });
});

describe('formats by name', () => {
  it('knows pickle checkpoints and common formats', () => {
    expect(formatOfPath('pytorch_model.bin')).toBe('pickle');
    expect(formatOfPath('sub/model.pt')).toBe('pickle');
    expect(formatOfPath('model-00001-of-00004.safetensors')).toBe('safetensors');
    expect(formatOfPath('vocab.bin')).toBeNull();
    expect(formatOfPath('README.md')).toBeNull();
  });
});

describe('evaluatePolicy', () => {
  it('passes a compliant model', () => {
    expect(evaluatePolicy(policy({ licenses: { allow: ['MIT'] }, forbidFormats: ['pickle'] }), { models: [model()] })).toEqual([]);
  });

  it('requires an attestation unless told otherwise, and checks nothing else without one', () => {
    const m = model({ attested: false, license: 'GPL-3.0-only' });
    expect(evaluatePolicy(policy({ licenses: { allow: ['MIT'] } }), { models: [m] }).map((f) => f.kind)).toEqual(['unsigned']);
    expect(evaluatePolicy(policy({ requireAttestation: false }), { models: [m] })).toEqual([]);
  });

  it('reports denied and unknown licenses and forbidden formats, naming the file', () => {
    const f = evaluatePolicy(policy({ licenses: { allow: ['MIT'] }, forbidFormats: ['pickle'] }), {
      models: [
        model({ license: 'Apache-2.0' }),
        model({ name: 'x', license: null, files: [{ path: 'pytorch_model.bin', digest: 'f'.repeat(64), size: 5, format: 'pickle' }] }),
      ],
    });
    expect(f.map((x) => [x.kind, x.model, x.path])).toEqual([
      ['license-denied', 'huggingface.co/org/tiny', undefined],
      ['license-unknown', 'x', undefined],
      ['format-forbidden', 'x', 'pytorch_model.bin'],
    ]);
  });

  it('runs CEL rules per model, with image and sbom bound, and fails closed on evaluation errors', () => {
    const rules = [
      compileRule({ name: 'small', expr: 'model.files.all(f, f.size < 500)', message: 'too big' }, 'test'),
      compileRule({ name: 'task', expr: "model.card.pipeline_tag == 'text-classification'" }, 'test'),
      compileRule({ name: 'typo', expr: 'model.nope == 1' }, 'test'),
      compileRule({ name: 'image', expr: "image == null || image.ref.startsWith('reg.example/')" }, 'test'),
    ];
    const f = evaluatePolicy(policy({}, rules), { models: [model()] });
    expect(f.map((x) => [x.kind, x.rule])).toEqual([
      ['rule-failed', 'small'],
      ['rule-error', 'typo'],
    ]);
    const img = evaluatePolicy(policy({}, [rules[3]]), { models: [], image: { ref: 'evil.example/x' } });
    expect(img.map((x) => x.kind)).toEqual(['rule-failed']);
    expect(evaluatePolicy(policy({}, [rules[3]]), { models: [], image: { ref: 'reg.example/x' } })).toEqual([]);
  });

  it('refuses CEL syntax errors at compile time', () => {
    expect(() => compileRule({ name: 'bad', expr: 'model.files.all(f, ' }, 'p.yaml:3:9')).toThrow(/p\.yaml:3:9: rule bad: CEL syntax error/);
  });
});
