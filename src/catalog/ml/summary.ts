// What a component's files add up to: weight and data formats, the pickle flag, parameter count, file warnings.
import { extensionOf } from '../formats/detect.js';
import type { InvFile } from '../types.js';
import { hfLicenseToSpdx } from './license.js';

const MODEL_FORMAT_BY_EXT: Record<string, string> = {
  safetensors: 'safetensors', gguf: 'gguf', onnx: 'onnx', pt: 'pytorch', pth: 'pytorch', ckpt: 'pytorch',
  pkl: 'pickle', pickle: 'pickle', joblib: 'pickle', h5: 'h5', hdf5: 'h5', keras: 'keras', tflite: 'tflite',
  msgpack: 'flax', npz: 'numpy',
};
const DATA_FORMAT_BY_EXT: Record<string, string> = {
  parquet: 'parquet', arrow: 'arrow', feather: 'arrow', jsonl: 'jsonl', ndjson: 'jsonl', csv: 'csv', tsv: 'tsv', json: 'json',
};
const TORCH_EXTS = new Set(['pt', 'pth', 'ckpt', 'bin']);
const PICKLE_EXTS = new Set(['pt', 'pth', 'ckpt', 'pkl', 'pickle', 'joblib']);

/** The weight format of one file (from its probe facts, else its extension), or undefined for non-weights. */
export function modelFormatOf(f: InvFile): string | undefined {
  const facts = f.facts;
  switch (facts?.kind) {
    case 'safetensors': case 'gguf': case 'onnx': case 'pytorch': case 'keras': case 'tflite': case 'numpy': case 'savedmodel':
      return facts.kind;
    case 'npy':
      return 'numpy';
    case 'pickle':
      // A cache blob has no extension, so the link's name (pytorch_model.bin) decides for legacy torch files.
      return facts.format === 'pytorch-legacy' || TORCH_EXTS.has(extensionOf(f.path)) ? 'pytorch' : 'pickle';
    case 'hdf5': return facts.keras === true ? 'keras' : 'h5';
    case 'msgpack': return 'flax';
    case undefined: case 'unknown': break;
    default: return undefined;
  }
  // No facts (or no magic recognized): the extension says it (`.bin` is absent from the table on purpose).
  return MODEL_FORMAT_BY_EXT[extensionOf(f.path)];
}

/** The data format of one file (parquet, arrow, jsonl, csv, tsv, json), or undefined. */
export function dataFormatOf(f: InvFile): string | undefined {
  const k = f.facts?.kind;
  if (k === 'parquet' || k === 'arrow' || k === 'jsonl') return k;
  if (k === 'csv') return f.facts?.format === 'tsv' ? 'tsv' : 'csv';
  return DATA_FORMAT_BY_EXT[extensionOf(f.path)];
}

/** True when the file is (or contains) a Python pickle. */
export function isPickleFile(f: InvFile): boolean {
  if (f.facts && f.facts.kind !== 'unknown') return f.facts.pickle === true;
  return PICKLE_EXTS.has(extensionOf(f.path));
}

/** Sorted unique values. */
export function sortedUnique(values: Iterable<string | undefined>): string[] {
  return [...new Set([...values].filter((v): v is string => v !== undefined))].sort();
}

/** Total parameters: safetensors files summed (shards add up); else the largest GGUF (files are alternative quantizations). */
export function parametersOf(files: InvFile[]): number | undefined {
  const count = (kind: string): number[] =>
    files.flatMap((f) => (f.facts?.kind === kind && typeof f.facts.parameters === 'number' ? [f.facts.parameters] : []));
  const st = count('safetensors');
  if (st.length > 0) return st.reduce((a, b) => a + b, 0);
  const gg = count('gguf');
  return gg.length > 0 ? Math.max(...gg) : undefined;
}

/** Every probe warning of the files, prefixed with the file's path. */
export function fileWarnings(files: InvFile[]): string[] {
  return files.flatMap((f) => (f.facts?.warnings ?? []).map((w) => `${f.path}: ${w}`));
}

/** Licenses stated inside weight files (GGUF general.license), mapped to SPDX where possible. */
export function embeddedLicenses(files: InvFile[]): string[] {
  return sortedUnique(
    files.map((f) => {
      const l = f.facts?.kind === 'gguf' ? f.facts.license : undefined;
      if (typeof l !== 'string') return undefined;
      const m = hfLicenseToSpdx(l);
      return m.id ?? m.name;
    }),
  );
}
