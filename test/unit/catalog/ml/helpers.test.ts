import { describe, expect, it } from 'vitest';
import { frontMatterOf, hfCacheSnapshot, hfLicenseToSpdx, parseCard, parseConfig, parseRemoteUrl, remoteFromGitConfig } from '../../../../src/catalog/ml/index.js';
import { cardLicenses } from '../../../../src/catalog/ml/license.js';
import { PickleScanner } from '../../../../src/catalog/formats/index.js';
import { pickleFile } from '../formats/fixtures.js';

describe('hfLicenseToSpdx', () => {
  it('maps hub ids to SPDX ids and keeps the rest as names', () => {
    expect(hfLicenseToSpdx('mit')).toEqual({ id: 'MIT' });
    expect(hfLicenseToSpdx('apache-2.0')).toEqual({ id: 'Apache-2.0' });
    expect(hfLicenseToSpdx('bsd-3-clause')).toEqual({ id: 'BSD-3-Clause' });
    expect(hfLicenseToSpdx('cc-by-4.0')).toEqual({ id: 'CC-BY-4.0' });
    expect(hfLicenseToSpdx('cc-by-nc-4.0')).toEqual({ id: 'CC-BY-NC-4.0' });
    expect(hfLicenseToSpdx('gpl-3.0')).toEqual({ id: 'GPL-3.0-only' });
    expect(hfLicenseToSpdx('lgpl-2.1')).toEqual({ id: 'LGPL-2.1-only' });
    expect(hfLicenseToSpdx('agpl-3.0')).toEqual({ id: 'AGPL-3.0-only' });
    expect(hfLicenseToSpdx('Apache-2.0')).toEqual({ id: 'Apache-2.0' });
    expect(hfLicenseToSpdx('openrail')).toEqual({ name: 'openrail' });
    expect(hfLicenseToSpdx('llama3')).toEqual({ name: 'llama3' });
    expect(hfLicenseToSpdx('unknown')).toEqual({});
    expect(cardLicenses({ license: 'other', licenseName: 'deepseek' })).toEqual(['deepseek']);
  });
});

describe('cards and configs', () => {
  it('reads front matter and tells model cards from dataset cards', () => {
    expect(frontMatterOf('# no front matter')).toBeUndefined();
    expect(parseCard('---\r\nlicense: mit\r\nbase_model:\r\n  - a/b\r\n  - c/d\r\n---\r\ntext').card).toEqual({ license: 'mit', baseModel: ['a/b', 'c/d'] });
    expect(parseCard('---\nlicense: mit\npipeline_tag: text-generation\n---\n').type).toBe('model');
    expect(parseCard('---\nsize_categories: [1K<n<10K]\nlicense: mit\n---\n').type).toBe('dataset');
    expect(parseCard('# title only').type).toBe('none');
    const bad = parseCard('---\nlicense: [mit\n---\n');
    expect(bad.type).toBe('model');
    expect(bad.warnings[0]).toMatch(/not valid YAML/);
  });

  it('reads config.json and warns on invalid JSON', () => {
    expect(parseConfig('{"model_type":"bert","architectures":["BertModel"]}')).toEqual({ modelType: 'bert', architectures: ['BertModel'], warnings: [] });
    expect(parseConfig('{nope').warnings).toEqual(['config.json is not valid JSON']);
  });
});

describe('sources', () => {
  it('parses remote URLs without keeping credentials', () => {
    expect(parseRemoteUrl('https://u:tok@huggingface.co/org/name.git')).toEqual({ url: 'https://huggingface.co/org/name.git', host: 'huggingface.co', namespace: 'org', name: 'name', dataset: false });
    expect(parseRemoteUrl('https://huggingface.co/datasets/org/ds')).toMatchObject({ namespace: 'org', name: 'ds', dataset: true });
    expect(parseRemoteUrl('git@hf.co:org/name')).toMatchObject({ host: 'hf.co', namespace: 'org', name: 'name' });
    expect(parseRemoteUrl('https://huggingface.co/gpt2')).toEqual({ url: 'https://huggingface.co/gpt2', host: 'huggingface.co', name: 'gpt2', dataset: false });
    expect(remoteFromGitConfig('[remote "upstream"]\n url = https://a/x/y\n[remote "origin"]\n url = https://b/p/q\n')).toBe('https://b/p/q');
  });

  it('parses Hugging Face cache snapshot folders', () => {
    expect(hfCacheSnapshot('root/.cache/huggingface/hub/models--org--my--model/snapshots/ABC')).toEqual({
      kind: 'model', namespace: 'org', name: 'my--model', commit: 'abc', repoDir: 'root/.cache/huggingface/hub/models--org--my--model',
    });
    expect(hfCacheSnapshot('hub/datasets--squad/snapshots/abc')).toMatchObject({ kind: 'dataset', name: 'squad' });
    expect(hfCacheSnapshot('hub/models--x/blobs')).toBeUndefined();
  });
});

describe('PickleScanner', () => {
  it('skips large payloads across chunks and scans consecutive pickles (legacy torch layout)', () => {
    const u64 = (n: number): Buffer => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(n)); return b; };
    const big = Buffer.concat([Buffer.from([0x80, 0x04, 0x8e]), u64(10_000), Buffer.alloc(10_000, 0x63), Buffer.from('0.')]);
    const data = Buffer.concat([big, pickleFile(true), Buffer.alloc(500, 0x80)]);
    for (const size of [1, 3, 64, 4096]) {
      const s = new PickleScanner();
      let stopped = -1;
      for (let o = 0; o < data.length; o += size) if (!s.push(data.subarray(o, o + size))) { stopped = o; break; }
      const scan = s.finish();
      expect(scan.dangerousImports).toEqual(['os.system']);
      expect(scan.error).toBeUndefined();
      expect(scan.pickles).toBe(2);
      expect(stopped).toBeGreaterThan(0);
    }
  });
});
