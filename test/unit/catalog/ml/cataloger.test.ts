import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mlCataloger } from '../../../../src/catalog/ml/index.js';
import type { CatalogResult } from '../../../../src/catalog/types.js';
import { ggufFile, onnxFile, pickleFile, safetensorsFile, zipFile } from '../formats/fixtures.js';
import { MemView } from './memview.js';

const SHA = 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678';
const weights = safetensorsFile({ w: { dtype: 'F32', shape: [8, 4] }, b: { dtype: 'F32', shape: [4] } });
const torchZip = zipFile([{ name: 'pytorch_model/data.pkl', data: pickleFile() }, { name: 'pytorch_model/data/0', data: Buffer.alloc(64) }]);

const modelCard = `---
license: apache-2.0
datasets:
  - bookcorpus
  - wikipedia
pipeline_tag: fill-mask
library_name: transformers
base_model: google/bert-base
language: en
tags: [exbert]
---
# BERT
`;

function run(build: (v: MemView) => void): CatalogResult {
  const cat = mlCataloger();
  const view = new MemView(cat.probes);
  build(view);
  const out: CatalogResult = { packages: [], models: [], datasets: [], unknowns: [] };
  cat.catalog(view, out);
  return JSON.parse(JSON.stringify(out)) as CatalogResult;
}

describe('ML cataloger: a Hugging Face git clone', () => {
  const out = run((v) => {
    const m = 'app/models/bert';
    v.file(`${m}/.git/config`, '[core]\n\tbare = false\n[remote "origin"]\n\turl = https://user:secret@huggingface.co/google-bert/bert-base-uncased\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n')
      .file(`${m}/.git/HEAD`, 'ref: refs/heads/main\n')
      .file(`${m}/.git/packed-refs`, `# pack-refs with: peeled fully-peeled sorted\n${SHA} refs/heads/main\n`)
      .file(`${m}/.git/objects/pack/pack-1.pack`, Buffer.alloc(32))
      .file(`${m}/README.md`, modelCard)
      .file(`${m}/config.json`, JSON.stringify({ model_type: 'bert', architectures: ['BertForMaskedLM'] }))
      .file(`${m}/model.safetensors`, weights, 2)
      .file(`${m}/pytorch_model.bin`, torchZip, 2)
      .file(`${m}/onnx/model.onnx`, onnxFile({ ir: 8, producer: 'pytorch', version: '2.1', graphBytes: 100, opsets: [['', 14]] }))
      .file(`${m}/1_Pooling/config.json`, '{"pooling_mode_mean_tokens": true}');
  });

  it('finds one model named from the remote, versioned by the packed ref', () => {
    expect(out.models).toHaveLength(1);
    const m = out.models[0]!;
    expect(m).toMatchObject({
      name: 'google-bert/bert-base-uncased',
      path: 'app/models/bert',
      version: SHA.toLowerCase(),
      purl: `pkg:huggingface/google-bert/bert-base-uncased@${SHA.toLowerCase()}`,
      licenses: ['Apache-2.0'],
      formats: ['onnx', 'pytorch', 'safetensors'],
      pickle: true,
      parameters: 36,
      source: { url: 'https://huggingface.co/google-bert/bert-base-uncased', commit: SHA.toLowerCase() },
      card: {
        license: 'apache-2.0', task: 'fill-mask', libraryName: 'transformers', datasets: ['bookcorpus', 'wikipedia'],
        baseModel: ['google/bert-base'], language: ['en'], tags: ['exbert'], modelType: 'bert', architectures: ['BertForMaskedLM'],
      },
      warnings: [],
    });
    expect(JSON.stringify(m)).not.toContain('secret');
  });

  it('lists the folder files recursively without .git internals', () => {
    const m = out.models[0]!;
    expect(m.files.map((f) => f.path.slice('app/models/bert/'.length))).toEqual([
      '1_Pooling/config.json', 'README.md', 'config.json', 'model.safetensors', 'onnx/model.onnx', 'pytorch_model.bin',
    ]);
    const st = m.files.find((f) => f.path.endsWith('model.safetensors'))!;
    expect(st).toMatchObject({ size: weights.length, layer: 2, sha256: createHash('sha256').update(weights).digest('hex'), facts: { kind: 'safetensors', parameters: 36 } });
    expect(out.datasets).toEqual([]);
    expect(out.unknowns).toEqual([]);
  });
});

describe('ML cataloger: a Hugging Face cache snapshot', () => {
  const commit = '0123456789abcdef0123456789abcdef01234567';
  const out = run((v) => {
    const repo = 'root/.cache/huggingface/hub/models--TinyLlama--TinyLlama-1.1B';
    const card = '---\nlicense: llama2\n---\n';
    const cfg = JSON.stringify({ model_type: 'llama', architectures: ['LlamaForCausalLM'] });
    const blob = (s: Buffer | string): string => createHash('sha256').update(s).digest('hex');
    v.file(`${repo}/refs/main`, commit);
    for (const [name, data] of [['README.md', card], ['config.json', cfg], ['model.safetensors', weights]] as const) {
      v.file(`${repo}/blobs/${blob(data)}`, data, 1);
      v.link(`${repo}/snapshots/${commit}/${name}`, `../../blobs/${blob(data)}`, 1);
    }
    v.link(`${repo}/snapshots/${commit}/escape.safetensors`, '../../../../../../../../etc/passwd', 1);
  });

  it('names the model from the cache folder and versions it by the snapshot', () => {
    expect(out.models).toHaveLength(1);
    const m = out.models[0]!;
    expect(m).toMatchObject({
      name: 'TinyLlama/TinyLlama-1.1B',
      version: commit,
      purl: `pkg:huggingface/TinyLlama/TinyLlama-1.1B@${commit}`,
      licenses: ['llama2'],
      formats: ['safetensors'],
      pickle: false,
      card: { modelType: 'llama', license: 'llama2' },
    });
    const st = m.files.find((f) => f.path.endsWith('/model.safetensors'))!;
    expect(st.resolvedFrom).toMatch(/models--TinyLlama--TinyLlama-1\.1B\/blobs\/[0-9a-f]{64}$/);
    expect(st).toMatchObject({ size: weights.length, sha256: createHash('sha256').update(weights).digest('hex'), facts: { kind: 'safetensors' } });
  });

  it('reports a symlink escaping the root as an unknown', () => {
    expect(out.unknowns).toHaveLength(1);
    expect(out.unknowns[0]!.path).toMatch(/escape\.safetensors$/);
    expect(out.models[0]!.warnings.join()).toMatch(/escape\.safetensors/);
  });
});

describe('ML cataloger: lone files, datasets, broken inputs', () => {
  const out = run((v) => {
    v.file('srv/llm/tiny.Q4_K_M.gguf', ggufFile({ 'general.architecture': 'llama', 'general.file_type': 15, 'general.license': 'mit' }, [{ name: 't', dims: [4, 4] }]))
      .file('srv/llm/other.gguf', ggufFile({ 'general.architecture': 'qwen2' }, []))
      .file('app/clf.pkl', pickleFile(true))
      .file('usr/lib/firmware/blob.bin', Buffer.alloc(200, 7))
      .file('usr/lib/python3/site-packages/sklearn/data/x.pkl', pickleFile())
      .file('data/imdb/README.md', '---\nlicense: other\nlicense_name: imdb-terms\npretty_name: IMDB\ntask_categories: [text-classification]\nconfigs:\n  - config_name: plain_text\n---\n')
      .file('data/imdb/plain_text/train-00000-of-00001.parquet', Buffer.from('PAR1....PAR1'))
      .file('data/imdb/extra.jsonl', '{"text":"a","label":0}\n')
      .file('srv/stats/part-00000-of-00002.parquet', Buffer.from('PAR1xxPAR1'))
      .file('srv/stats/part-00001-of-00002.parquet', Buffer.from('PAR1yyPAR1'))
      .file('models/broken/README.md', '---\nlicense: [mit\n---\n')
      .file('models/broken/config.json', '{"model_type": ')
      .file('models/broken/model.safetensors', Buffer.from([0xff, 0, 0, 0, 0, 0, 0, 0x10, 0x7b]))
      .file('models/gpt2/.git/config', '[remote "origin"]\n\turl = https://huggingface.co/gpt2\n')
      .file('models/gpt2/.git/HEAD', `${SHA.toLowerCase()}\n`)
      .file('models/gpt2/model.safetensors', weights);
  });

  it('makes each lone weights file its own model', () => {
    const tiny = out.models.find((m) => m.path === 'srv/llm/tiny.Q4_K_M.gguf')!;
    expect(tiny).toMatchObject({ name: 'tiny.Q4_K_M', formats: ['gguf'], licenses: ['MIT'], parameters: 16, pickle: false });
    expect(tiny.purl).toBeUndefined();
    expect(tiny.files[0]!.facts).toMatchObject({ quantization: 'Q4_K_M' });
    expect(out.models.find((m) => m.path === 'srv/llm/other.gguf')).toBeDefined();
  });

  it('flags a lone pickle with a dangerous import, and ignores non-model .bin and site-packages pickles', () => {
    const clf = out.models.find((m) => m.path === 'app/clf.pkl')!;
    expect(clf).toMatchObject({ name: 'clf', formats: ['pickle'], pickle: true });
    expect(clf.warnings.join()).toMatch(/app\/clf\.pkl: pickle imports os\.system/);
    expect(out.models.map((m) => m.path).sort()).toEqual(['app/clf.pkl', 'models/broken', 'models/gpt2', 'srv/llm/other.gguf', 'srv/llm/tiny.Q4_K_M.gguf']);
  });

  it('builds datasets from a dataset card folder and from lone parquet shards', () => {
    expect(out.datasets.map((d) => d.path)).toEqual(['data/imdb', 'srv/stats/part-00000-of-00002.parquet']);
    expect(out.datasets[0]).toMatchObject({ name: 'imdb', formats: ['jsonl', 'parquet'], licenses: ['imdb-terms'], description: 'IMDB' });
    expect(out.datasets[0]!.files).toHaveLength(3);
    expect(out.datasets[1]).toMatchObject({ name: 'part', formats: ['parquet'] });
    expect(out.datasets[1]!.files).toHaveLength(2);
  });

  it('keeps a broken model folder as a component with warnings', () => {
    const b = out.models.find((m) => m.path === 'models/broken')!;
    expect(b.formats).toEqual(['safetensors']);
    const w = b.warnings.join('\n');
    expect(w).toMatch(/README\.md: model card front matter is not valid YAML/);
    expect(w).toMatch(/config\.json: config\.json is not valid JSON/);
    expect(w).toMatch(/models\/broken\/model\.safetensors: header length \d+ is beyond the file size/);
  });

  it('does not invent a namespace for a hub repository without one', () => {
    const g = out.models.find((m) => m.path === 'models/gpt2')!;
    expect(g).toMatchObject({ name: 'gpt2', version: SHA.toLowerCase() });
    expect(g.purl).toBeUndefined();
  });
});
