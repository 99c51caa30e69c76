import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compareModel } from '../../../src/attest/model-compare.js';
import {
  buildModelStatement,
  comparePathComponents,
  MLBUILD_PREDICATE_KEY,
  omsSubjectDigest,
  parseModelStatement,
} from '../../../src/attest/model-statement.js';
import { parseStatement } from '../../../src/attest/statement.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
// Known vector, computed independently with Python's hashlib: sha256(sha256(b"a").digest() + sha256(b"b").digest())
const A = 'ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb';
const B = '3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d';
const AB = 'e5a01fee14e0ed5c48714f22180f25ad8365b53f9779f79dc4a3d7e93963f94a';

describe('OMS v1.0 model statement', () => {
  it('subject digest is sha256 over the raw resource digests in listed order', () => {
    expect(sha('a')).toBe(A);
    expect(omsSubjectDigest([{ digest: A }, { digest: `sha256:${B}` }])).toBe(AB);
    expect(omsSubjectDigest([{ digest: B }, { digest: A }])).not.toBe(AB);
    expect(omsSubjectDigest([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('sorts by path components with code-point order, as Python PurePosixPath does', () => {
    const paths = ['a.b', 'a/b', 'a-b', 'B', 'a/b/c', 'a', 'z/\u00e9', 'z/\u{1F600}', 'z/\uff21', 'config.json', 'model.safetensors', 'tokenizer/vocab.txt', 'tokenizer.json'];
    // the order Python prints for sorted(paths, key=PurePosixPath)
    expect([...paths].sort(comparePathComponents)).toEqual([
      'B', 'a', 'a/b', 'a/b/c', 'a-b', 'a.b', 'config.json', 'model.safetensors', 'tokenizer/vocab.txt', 'tokenizer.json', 'z/\u00e9', 'z/\uff21', 'z/\u{1F600}',
    ]);
  });

  it('builds the OMS shape with one subject, ignored paths dropped and mlbuild facts under one key', () => {
    const st = buildModelStatement({
      name: 'model',
      files: [
        { path: 'b.bin', digest: B },
        { path: 'a.bin', digest: `sha256:${A}` },
        { path: '.git/HEAD', digest: sha('ref') },
        { path: '.gitattributes', digest: sha('lfs') },
      ],
      facts: { source: 'https://huggingface.co/org/model', commit: 'abc123', license: 'apache-2.0' },
    });
    expect(st._type).toBe('https://in-toto.io/Statement/v1');
    expect(st.predicateType).toBe('https://model_signing/signature/v1.0');
    expect(st.subject).toEqual([{ name: 'model', digest: { sha256: AB } }]);
    expect(st.predicate.serialization).toEqual({
      method: 'files',
      hash_type: 'sha256',
      allow_symlinks: false,
      ignore_paths: ['.git', '.gitattributes', '.github', '.gitignore'],
    });
    expect(st.predicate.resources).toEqual([
      { name: 'a.bin', algorithm: 'sha256', digest: A },
      { name: 'b.bin', algorithm: 'sha256', digest: B },
    ]);
    expect(Object.keys(st.predicate)).toEqual(['serialization', 'resources', MLBUILD_PREDICATE_KEY]);
    const back = parseModelStatement(parseStatement(JSON.stringify(st)));
    expect(back.subjectDigest).toBe(AB);
    expect(back.facts.source).toBe('https://huggingface.co/org/model');
  });

  it('refuses bad input when building, and inconsistent statements when reading', () => {
    expect(() => buildModelStatement({ name: 'm', files: [{ path: '../x', digest: A }] })).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => buildModelStatement({ name: 'm', files: [{ path: 'x', digest: 'zz' }] })).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => buildModelStatement({ name: 'm', files: [{ path: 'x', digest: A }, { path: 'x', digest: B }] })).toThrow(expect.objectContaining({ code: 'USAGE' }));
    const st = buildModelStatement({ name: 'm', files: [{ path: 'a', digest: A }, { path: 'b', digest: B }] });
    const wrongSubject = { ...st, subject: [{ name: 'm', digest: { sha256: A } }] };
    expect(() => parseModelStatement(parseStatement(wrongSubject))).toThrow(expect.objectContaining({ code: 'BAD_BUNDLE' }));
    const swapped = { ...st, predicate: { ...st.predicate, resources: [st.predicate.resources[1], st.predicate.resources[0]] } };
    expect(() => parseModelStatement(parseStatement(swapped))).toThrow(expect.objectContaining({ code: 'BAD_BUNDLE' }));
  });

  it('compareModel lists changed, missing and extra files, skipping ignored paths', () => {
    const st = buildModelStatement({
      name: 'm',
      files: [
        { path: 'config.json', digest: sha('config') },
        { path: 'model.safetensors', digest: sha('weights') },
        { path: 'tokenizer/vocab.txt', digest: sha('vocab') },
      ],
    });
    expect(compareModel(st, [
      { path: 'config.json', digest: sha('config') },
      { path: 'model.safetensors', digest: sha('weights') },
      { path: 'tokenizer/vocab.txt', digest: `sha256:${sha('vocab')}` },
      { path: '.git/config', digest: sha('git') },
    ])).toEqual([]);
    expect(compareModel(st, [
      { path: 'config.json', digest: sha('config') },
      { path: 'model.safetensors', digest: sha('evil weights') },
      { path: 'extra.py', digest: sha('import os') },
    ])).toEqual([
      { kind: 'extra', path: 'extra.py', got: sha('import os') },
      { kind: 'changed', path: 'model.safetensors', want: sha('weights'), got: sha('evil weights') },
      { kind: 'missing', path: 'tokenizer/vocab.txt', want: sha('vocab') },
    ]);
  });
});
