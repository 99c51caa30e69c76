import { createHash } from 'node:crypto';

/** A tensor for {@link safetensors}: F32 values and their shape (product of dims = values.length). */
export interface TensorSpec {
  shape: number[];
  values: number[];
}

const DEFAULT_TENSORS: Record<string, TensorSpec> = {
  'linear.weight': { shape: [2, 3], values: [0.5, -1, 1.5, 2, -2.5, 3] },
  'linear.bias': { shape: [2], values: [0.25, -0.25] },
};

/** A small valid safetensors file: u64 LE header length, JSON header (padded to 8 bytes), then F32 tensor bytes. */
export function safetensors(tensors: Record<string, TensorSpec> = DEFAULT_TENSORS, metadata: Record<string, string> = { format: 'pt' }): Buffer {
  const header: Record<string, unknown> = { __metadata__: metadata };
  const data: Buffer[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const bytes = Buffer.alloc(t.values.length * 4);
    t.values.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    data.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  return Buffer.concat([len, Buffer.from(json), ...data]);
}

/** Front-matter fields of a Hugging Face model card. */
export interface ModelCardOptions {
  license?: string;
  pipeline_tag?: string;
  library_name?: string;
  datasets?: string[];
  base_model?: string;
  license_name?: string;
  license_link?: string;
  body?: string;
}

/** A README.md with YAML front matter as the Hugging Face Hub writes it (license: mit etc.). */
export function modelCard(opts: ModelCardOptions = {}): string {
  const o = { license: 'mit', pipeline_tag: 'text-classification', library_name: 'transformers', datasets: ['org/tiny-dataset'], ...opts };
  const lines = ['---', `license: ${o.license}`];
  if (o.license_name) lines.push(`license_name: ${o.license_name}`);
  if (o.license_link) lines.push(`license_link: ${o.license_link}`);
  lines.push(`pipeline_tag: ${o.pipeline_tag}`, `library_name: ${o.library_name}`);
  if (o.datasets.length) lines.push('datasets:', ...o.datasets.map((d) => `- ${d}`));
  if (o.base_model) lines.push(`base_model: ${o.base_model}`);
  lines.push('---', '', o.body ?? '# Tiny test model\n\nA model made by the mlbuild test suite.', '');
  return lines.join('\n');
}

/** A transformers config.json with model_type and architectures. */
export function configJson(modelType = 'bert', architectures: string[] = ['BertForSequenceClassification']): string {
  return `${JSON.stringify({ model_type: modelType, architectures, hidden_size: 4, num_hidden_layers: 1, torch_dtype: 'float32' }, null, 2)}\n`;
}

/** GGUF metadata values this generator can write: strings and u32 numbers. */
export type GgufValue = string | number;

/** A tiny GGUF v3 file: header, metadata KVs (general.architecture, general.name…), one F32 tensor, aligned to 32. */
export function gguf(metadata: Record<string, GgufValue> = { 'general.architecture': 'llama', 'general.name': 'tiny', 'general.license': 'mit' }): Buffer {
  const parts: Buffer[] = [];
  const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); parts.push(b); };
  const u64 = (n: number) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(n)); parts.push(b); };
  const str = (s: string) => { u64(Buffer.byteLength(s)); parts.push(Buffer.from(s)); };
  parts.push(Buffer.from('GGUF'));
  u32(3); // version
  u64(1); // tensor count
  u64(Object.keys(metadata).length);
  for (const [key, value] of Object.entries(metadata)) {
    str(key);
    if (typeof value === 'string') { u32(8); str(value); } // GGUF_TYPE_STRING
    else { u32(4); u32(value); } // GGUF_TYPE_UINT32
  }
  str('token_embd.weight');
  u32(2); u64(2); u64(2); // n_dims, dims
  u32(0); // GGML_TYPE_F32
  u64(0); // offset within the data section
  const head = Buffer.concat(parts);
  const pad = Buffer.alloc((32 - (head.length % 32)) % 32);
  const data = Buffer.alloc(16);
  [1, 2, 3, 4].forEach((v, i) => data.writeFloatLE(v, i * 4));
  return Buffer.concat([head, pad, data]);
}

/** The Git LFS pointer text that stands in for CONTENT in a repository (names its sha256 and size). */
export function lfsPointer(content: Buffer | string): string {
  const buf = Buffer.from(content);
  const oid = createHash('sha256').update(buf).digest('hex');
  return `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${buf.length}\n`;
}

/** A complete tiny Hugging Face model folder: config.json, README.md card, model.safetensors (for makeModelRepo). */
export function hfModelFiles(card: ModelCardOptions = {}): Record<string, Buffer | string> {
  return { 'config.json': configJson(), 'README.md': modelCard(card), 'model.safetensors': safetensors() };
}
