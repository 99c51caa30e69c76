// Format detection: magic bytes first, the file extension when the bytes say nothing (ONNX, protocol-0 pickles, text).
import { hdf5SignatureOffset } from './hdf5.js';
import { isTflite } from './tflite.js';

/** The ML file formats mlbuild recognizes. */
export type FormatName =
  | 'safetensors' | 'gguf' | 'onnx' | 'pytorch' | 'pickle' | 'keras' | 'npz' | 'npy' | 'zip' | 'hdf5' | 'tflite'
  | 'parquet' | 'arrow' | 'jsonl' | 'csv' | 'tsv' | 'json' | 'msgpack' | 'savedmodel';

/** Bytes of head that detectFormat needs to see for magic-byte detection. */
export const DETECT_HEAD = 64;

const BY_EXT: Record<string, FormatName> = {
  safetensors: 'safetensors', gguf: 'gguf', onnx: 'onnx', pt: 'pytorch', pth: 'pytorch', ckpt: 'pytorch',
  bin: 'pytorch', pkl: 'pickle', pickle: 'pickle', joblib: 'pickle', h5: 'hdf5', hdf5: 'hdf5', keras: 'keras',
  tflite: 'tflite', parquet: 'parquet', arrow: 'arrow', feather: 'arrow', jsonl: 'jsonl', ndjson: 'jsonl',
  csv: 'csv', tsv: 'tsv', json: 'json', msgpack: 'msgpack', npz: 'npz', npy: 'npy',
};


/** The lower-case extension of a path's last component, without the dot ("" when none). */
export function extensionOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/** The format the magic bytes of `head` announce, if any. */
export function formatByMagic(head: Buffer): FormatName | undefined {
  const ascii = (a: number, b: number): string => head.toString('latin1', a, Math.min(b, head.length));
  if (ascii(0, 4) === 'GGUF') return 'gguf';
  if (ascii(0, 4) === 'PK\x03\x04') return 'zip';
  if (ascii(0, 4) === 'PAR1') return 'parquet';
  if (ascii(0, 6) === 'ARROW1') return 'arrow';
  if (ascii(0, 6) === '\x93NUMPY') return 'npy';
  if (isTflite(head)) return 'tflite';
  if (hdf5SignatureOffset(head) >= 0) return 'hdf5';
  if (head.length >= 10 && head[8] === 0x7b) {
    const n = Number(head.readBigUInt64LE(0));
    if (n >= 2 && n <= 100 * 1024 * 1024 && (head[9] === 0x22 || head[9] === 0x7d || head[9] === 0x20)) return 'safetensors';
  }
  if (head.length >= 2 && head[0] === 0x80 && head[1]! >= 2 && head[1]! <= 5) return 'pickle';
  // A TensorFlow SavedModel opens with saved_model_schema_version 1 (field 1) then a MetaGraphDef (field 2); ONNX's
  // ModelProto with ir_version (field 1, varint, 3..12 in practice) then producer_name (field 2, string).
  if (head.length >= 3 && head[0] === 0x08 && head[1] === 1 && head[2] === 0x12) return 'savedmodel';
  if (head.length >= 3 && head[0] === 0x08 && head[1]! >= 2 && head[1]! <= 20 && head[2] === 0x12) return 'onnx';
  return undefined;
}

/** Maps a path and the head of its file to a format name: magic first, then the extension. */
export function detectFormat(path: string, head: Buffer): FormatName | undefined {
  const byExt = BY_EXT[extensionOf(path)];
  const magic = formatByMagic(head);
  if (magic === 'zip') {
    if (byExt === 'keras' || byExt === 'npz' || byExt === 'pytorch') return byExt;
    return zipFirstEntryIsTorch(head) ? 'pytorch' : 'zip';
  }
  if (magic === 'arrow' || (byExt === 'arrow' && head.length >= 4 && head.readUInt32LE(0) === 0xffffffff)) return 'arrow';
  if (magic) return magic;
  // No magic: the extension decides (so a malformed .safetensors still gets its parser and a warning), except
  // for `.bin`, which is a model only when its bytes say so.
  return extensionOf(path) === 'bin' ? undefined : byExt;
}

// PyTorch writes `<archive>/data.pkl` as the first zip entry.
function zipFirstEntryIsTorch(head: Buffer): boolean {
  if (head.length < 30) return false;
  const n = head.readUInt16LE(26);
  return /(^|\/)data\.pkl$/.test(head.toString('utf8', 30, Math.min(30 + n, head.length)));
}
