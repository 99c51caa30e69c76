// What identified content is, for the model gate: weights, serialized objects, data or archives, with the policy
// format names it counts as, the pickle imports that run code, parse failures, and names that claim another format.
import type { ProbeFacts } from '../probe.js';
import { extensionOf } from './detect.js';

/** The classes of identified content the gate judges differently. */
export type ContentClass = 'weights' | 'serialized' | 'data' | 'archive';

/** What a file's content is, judged from its probe facts (never from its name). */
export interface ContentInfo {
  /** The identified format (safetensors, gguf, onnx, pytorch, keras, hdf5, tflite, pickle, npy, npz, zip, gzip…). */
  format: string;
  cls: ContentClass;
  /** Format names as policies list them (`forbidFormats`): pickle, safetensors, gguf, onnx, keras, hdf5, tflite, numpy. */
  policyFormats: string[];
  /** Pickle imports that run code or touch the system. */
  dangerous: string[];
  /** Why the file failed to parse as its own format (empty when it parsed). */
  malformed: string[];
  /** The format the file's name claims when it is not what the content is. */
  masquerade?: string;
  /** For archives (or parts of them) that were not opened: why. */
  unopened?: string;
  /** For archives: signs of tampering (a zip central directory that disagrees with its local headers). */
  tampered?: string[];
}

/** Options of classification. */
export interface ClassifyOptions {
  /** Numeric NumPy arrays at least this big count as weights (default 1 MiB). */
  npyWeightsBytes?: number;
}

/** The default size from which numeric NumPy arrays count as weights. */
export const NPY_WEIGHTS_BYTES = 1024 * 1024;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
// Warnings about caps are limits of the reader, not defects of the file.
const malformedOf = (f: ProbeFacts): string[] => strings(f.warnings).filter((w) => !/\bcap\b|\bkept\b|could not be fully scanned: text argument/.test(w) && !/^pickle imports /.test(w));
const importsTorch = (f: ProbeFacts): boolean => strings(f.imports).some((i) => i.startsWith('torch.') || i.startsWith('torch._utils'));

function base(f: ProbeFacts, size: number, o: ClassifyOptions): Omit<ContentInfo, 'dangerous' | 'malformed'> | undefined {
  const npyBytes = o.npyWeightsBytes ?? NPY_WEIGHTS_BYTES;
  switch (f.kind) {
    case 'safetensors': case 'gguf': case 'tflite': case 'savedmodel':
      return { format: f.kind, cls: 'weights', policyFormats: [f.kind] };
    case 'onnx':
      // Any protobuf can open like ONNX; only one with an IR version or a graph is a model.
      return f.irVersion !== undefined || f.hasGraph ? { format: 'onnx', cls: 'weights', policyFormats: ['onnx'] } : undefined;
    case 'hdf5':
      return { format: 'hdf5', cls: 'weights', policyFormats: f.keras ? ['hdf5', 'keras'] : ['hdf5'] };
    case 'pytorch':
      return { format: 'pytorch', cls: 'weights', policyFormats: ['pickle'] };
    case 'keras':
      return { format: 'keras', cls: 'weights', policyFormats: ['keras'] };
    case 'numpy': // .npz
      if (f.pickle) return { format: 'npz', cls: 'serialized', policyFormats: ['numpy', 'pickle'] };
      return { format: 'npz', cls: size >= npyBytes ? 'weights' : 'data', policyFormats: ['numpy'] };
    case 'npy':
      if (f.object) return { format: 'npy', cls: 'serialized', policyFormats: ['numpy', 'pickle'] };
      if (f.dtype === undefined) return { format: 'npy', cls: 'data', policyFormats: ['numpy'] };
      return { format: 'npy', cls: size >= npyBytes ? 'weights' : 'data', policyFormats: ['numpy'] };
    case 'pickle':
      if (f.format === 'pytorch-legacy' && importsTorch(f)) return { format: 'pytorch', cls: 'weights', policyFormats: ['pickle'] };
      return { format: 'pickle', cls: importsTorch(f) ? 'weights' : 'serialized', policyFormats: ['pickle'] };
    case 'zip':
      return { format: 'zip', cls: f.pickle ? 'serialized' : 'archive', policyFormats: f.pickle ? ['pickle'] : [] };
    case 'archive':
      return { format: String(f.archive ?? 'archive'), cls: 'archive', policyFormats: [] };
    case 'parquet': case 'arrow': case 'jsonl': case 'csv': case 'tsv':
      return { format: f.kind, cls: 'data', policyFormats: [] };
    default:
      return undefined;
  }
}

// Extensions that claim a format, and the content formats each is honest for.
const CLAIMS: Record<string, string[]> = {
  safetensors: ['safetensors'], gguf: ['gguf'], onnx: ['onnx'], pb: ['savedmodel', 'onnx'], tflite: ['tflite'], lite: ['tflite'],
  h5: ['hdf5'], hdf5: ['hdf5'], hdf: ['hdf5'], keras: ['keras', 'hdf5'], npy: ['npy'], npz: ['npz', 'zip'],
  pkl: ['pickle', 'pytorch'], pickle: ['pickle', 'pytorch'], joblib: ['pickle', 'pytorch', 'zip', 'npz'],
  pt: ['pytorch', 'pickle'], pth: ['pytorch', 'pickle'], ckpt: ['pytorch', 'pickle'], bin: ['pytorch', 'pickle', 'safetensors', 'gguf', 'onnx'],
  zip: ['zip', 'pytorch', 'keras', 'npz'], whl: ['zip'], jar: ['zip'], tar: ['tar', 'pytorch'], gz: ['gzip'], tgz: ['gzip'],
  xz: ['xz'], bz2: ['bzip2'], zst: ['zstd'], '7z': ['7z'], msgpack: [], parquet: ['parquet'], arrow: ['arrow'],
  txt: [], md: [], json: [], yaml: [], yml: [], toml: [], ini: [], cfg: [], conf: [], py: [], pyc: [], so: [], sh: [],
  js: [], ts: [], html: [], xml: [], csv: ['csv'], tsv: ['tsv'], jsonl: ['jsonl'], png: [], jpg: [], jpeg: [], gif: [], svg: [],
  pdf: [], ico: [], wav: [], mp3: [], mp4: [], log: [], c: [], h: [], go: [], rs: [], java: [], class: [],
};

/** The format the name claims when the content is weights or a serialized object of another format. */
function masqueradeOf(path: string, info: Omit<ContentInfo, 'dangerous' | 'malformed'>): string | undefined {
  if (info.cls !== 'weights' && info.cls !== 'serialized') return undefined;
  const ext = extensionOf(path);
  const honest = CLAIMS[ext];
  if (honest === undefined || honest.includes(info.format)) return undefined;
  return ext;
}

/** Classifies a file's content from its probe facts; undefined when the content is nothing the gate judges. */
export function classifyContent(path: string, size: number, facts: ProbeFacts | undefined, o: ClassifyOptions = {}): ContentInfo | undefined {
  if (!facts) return undefined;
  const b = base(facts, size, o);
  if (!b) return undefined;
  const info: ContentInfo = { ...b, dangerous: strings(facts.dangerousImports), malformed: b.cls === 'archive' || b.cls === 'data' ? [] : malformedOf(facts) };
  const m = masqueradeOf(path, b);
  if (m) info.masquerade = m;
  if (typeof facts.unopened === 'string') info.unopened = facts.unopened;
  if (b.cls === 'archive') {
    const members = Array.isArray(facts.members) ? (facts.members as Array<{ path?: string; unopened?: string }>) : [];
    const closed = members.filter((m) => typeof m.unopened === 'string');
    if (!info.unopened && closed.length > 0) info.unopened = `${closed.length} member(s) not opened, e.g. ${closed[0]!.path}: ${closed[0]!.unopened}`;
    const tampered = strings(facts.findings);
    if (tampered.length > 0) info.tampered = tampered;
  }
  return info;
}
