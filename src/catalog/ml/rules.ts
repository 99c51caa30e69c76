// The probes the ML cataloger asks for: format probes for model and data files, text captures for cards, configs, git refs.
import { extensionOf } from '../formats/detect.js';
import { mlFileProbe } from '../formats/sniff.js';
import { textProbe } from '../formats/text.js';
import type { ProbeRule } from '../types.js';
import { isHfCacheBlob } from './git.js';

/** Extensions of model weight files. */
export const MODEL_EXTS = new Set([
  'safetensors', 'gguf', 'onnx', 'bin', 'pt', 'pth', 'ckpt', 'pkl', 'pickle', 'h5', 'hdf5', 'keras', 'tflite',
  'msgpack', 'npz', 'joblib',
]);
/** Extensions of dataset files. */
export const DATA_EXTS = new Set(['parquet', 'arrow', 'feather', 'jsonl', 'ndjson', 'csv', 'tsv']);

/** Cap of a captured README (model or dataset card). */
export const CARD_CAP = 256 * 1024;
/** Cap of a captured config.json (label maps can make them large). */
export const CONFIG_CAP = 1024 * 1024;
/** Cap of a captured git file (HEAD, config, packed-refs, refs). */
export const GIT_CAP = 256 * 1024;
/** Cap of text captured from a Hugging Face cache blob (cards and configs live there under hashed names). */
export const BLOB_TEXT_CAP = 1024 * 1024;

const base = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** The text cap for a path the ML cataloger wants verbatim, or undefined. */
export function textCapFor(path: string): number | undefined {
  const name = base(path);
  if (/^readme\.md$/i.test(name)) return CARD_CAP;
  if (name === 'config.json' || name === 'adapter_config.json' || name === 'model_index.json') return CONFIG_CAP;
  if (/(?:^|\/)\.git\/(?:HEAD|config|packed-refs|refs\/heads\/.+)$/.test(path)) return GIT_CAP;
  if (/(?:^|\/)(?:models|datasets)--[^/]+\/refs\/[^/]+$/.test(path)) return GIT_CAP;
  return undefined;
}

/** True for a file the ML format probe should sniff: model and data extensions, and Hugging Face cache blobs. */
export function isMlFilePath(path: string): boolean {
  if (/(?:^|\/)\.git\//.test(path)) return false;
  const ext = extensionOf(path);
  return MODEL_EXTS.has(ext) || DATA_EXTS.has(ext) || isHfCacheBlob(path);
}

/** The rule that captures small text files (cards, configs, git refs). */
export const mlTextRule: ProbeRule = {
  name: 'ml-text',
  match: (path) => textCapFor(path) !== undefined,
  create: (path) => textProbe(textCapFor(path) ?? CARD_CAP),
};

/**
 * The rule that sniffs ML files. `.bin` files are matched broadly: the probe reads a small head first and
 * lets go at once unless the magic bytes announce a model format.
 */
export const mlFileRule: ProbeRule = {
  name: 'ml-file',
  match: (path) => isMlFilePath(path),
  create: (path, size) => mlFileProbe(path, size, isHfCacheBlob(path) ? { textCap: BLOB_TEXT_CAP } : {}),
};
