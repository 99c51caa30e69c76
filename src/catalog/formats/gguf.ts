// GGUF (llama.cpp): magic, version, counts, metadata key/values, then tensor infos; read as a stream, arrays skipped.
import type { Probe, ProbeFacts } from '../probe.js';
import { GGUF_FIXED_SIZE, GGUF_TYPE, ggmlTypeName, ggufFileTypeName } from './gguf-names.js';
import { runProbe, StreamProbe, u64, type Cursor, type EndStatus, type Need, type StreamParser } from './stream.js';

/** How far into a GGUF file we parse (metadata + tensor infos); beyond it the facts say `complete: false`. */
export const GGUF_CAP = 64 * 1024 * 1024;
const KEY_CAP = 64 * 1024;
const KEPT_STRING_CAP = 4096;
const META_CAP = 64;

/** Facts of a GGUF file. */
export interface GgufFacts extends ProbeFacts {
  kind: 'gguf';
  version?: number;
  tensorCount?: number;
  kvCount?: number;
  architecture?: string;
  name?: string;
  fileType?: number;
  quantization?: string;
  quantizationVersion?: number;
  license?: string;
  /** Scalar `general.*` values, capped. */
  metadata?: Record<string, string | number | boolean>;
  dtypes?: string[];
  parameters?: number;
  /** True when metadata and all tensor infos were read. */
  complete?: boolean;
}

type Scalar = string | number | boolean;

interface State {
  facts: GgufFacts;
  warnings: string[];
  wide: boolean;
}

class Malformed extends Error {}

function* len(st: State): Generator<Need, number, Buffer> {
  const b = yield { read: st.wide ? 8 : 4 };
  return st.wide ? u64(b) : b.readUInt32LE(0);
}

function* str(st: State, cur: Cursor, keep: number): Generator<Need, string | undefined, Buffer> {
  const n = yield* len(st);
  if (n > cur.size - cur.pos) throw new Malformed(`string length ${n} runs past the end of the file`);
  if (n > keep) {
    yield { skip: n };
    return undefined;
  }
  return (yield { read: n }).toString('utf8');
}

function* value(st: State, cur: Cursor, type: number, depth: number): Generator<Need, Scalar | undefined, Buffer> {
  const fixed = GGUF_FIXED_SIZE[type];
  if (fixed !== undefined) return scalar(type, yield { read: fixed });
  if (type === GGUF_TYPE.STRING) return yield* str(st, cur, KEPT_STRING_CAP);
  if (type !== GGUF_TYPE.ARRAY || depth > 3) throw new Malformed(`unknown value type ${type}`);
  const elem = (yield { read: 4 }).readUInt32LE(0);
  const count = yield* len(st);
  const size = GGUF_FIXED_SIZE[elem];
  if (size !== undefined) {
    if (count * size > cur.size - cur.pos) throw new Malformed(`array of ${count} runs past the end of the file`);
    yield { skip: count * size };
  } else {
    if (count > cur.size - cur.pos) throw new Malformed(`array of ${count} runs past the end of the file`);
    for (let i = 0; i < count; i++) yield* value(st, cur, elem, depth + 1);
  }
  return undefined;
}

function scalar(type: number, b: Buffer): Scalar {
  switch (type) {
    case GGUF_TYPE.UINT8: return b.readUInt8(0);
    case GGUF_TYPE.INT8: return b.readInt8(0);
    case GGUF_TYPE.UINT16: return b.readUInt16LE(0);
    case GGUF_TYPE.INT16: return b.readInt16LE(0);
    case GGUF_TYPE.UINT32: return b.readUInt32LE(0);
    case GGUF_TYPE.INT32: return b.readInt32LE(0);
    case GGUF_TYPE.FLOAT32: return b.readFloatLE(0);
    case GGUF_TYPE.BOOL: return b[0] !== 0;
    case GGUF_TYPE.UINT64: return u64(b);
    case GGUF_TYPE.INT64: return Number(b.readBigInt64LE(0));
    default: return b.readDoubleLE(0);
  }
}

function keep(facts: GgufFacts, key: string, v: Scalar): void {
  if (key === 'general.architecture' && typeof v === 'string') facts.architecture = v;
  if (key === 'general.name' && typeof v === 'string') facts.name = v;
  if (key === 'general.license' && typeof v === 'string') facts.license = v;
  if (key === 'general.quantization_version' && typeof v === 'number') facts.quantizationVersion = v;
  if (key === 'general.file_type' && typeof v === 'number') {
    facts.fileType = v;
    const q = ggufFileTypeName(v);
    if (q) facts.quantization = q;
  }
  if (key.startsWith('general.')) {
    const meta = (facts.metadata ??= {});
    if (Object.keys(meta).length < META_CAP) meta[key] = v;
  }
}

function* parse(st: State, cur: Cursor): StreamParser {
  const f = st.facts;
  const magic = yield { read: 4 };
  if (magic.toString('latin1') !== 'GGUF') throw new Malformed('bad magic (not a GGUF file)');
  const version = (yield { read: 4 }).readUInt32LE(0);
  if (version > 0xffff) throw new Malformed(`version ${version} looks big-endian; not supported`);
  f.version = version;
  st.wide = version >= 2;
  f.tensorCount = yield* len(st);
  f.kvCount = yield* len(st);
  // Each KV and tensor info takes at least 8 bytes, so larger counts cannot fit in the file.
  if ((f.kvCount + f.tensorCount) * 8 > cur.size) throw new Malformed('tensor or metadata count is larger than the file');
  for (let i = 0; i < f.kvCount; i++) {
    const key = yield* str(st, cur, KEY_CAP);
    if (key === undefined) throw new Malformed('metadata key longer than 64 KiB');
    const type = (yield { read: 4 }).readUInt32LE(0);
    const v = yield* value(st, cur, type, 0);
    if (v !== undefined) keep(f, key, v);
    if (cur.pos > GGUF_CAP) return;
  }
  const dtypes = new Set<string>();
  let params = 0;
  for (let i = 0; i < f.tensorCount; i++) {
    yield* str(st, cur, 0);
    const dims = (yield { read: 4 }).readUInt32LE(0);
    if (dims > 8) throw new Malformed(`tensor with ${dims} dimensions`);
    const raw = yield { read: dims * (st.wide ? 8 : 4) };
    let n = 1;
    for (let d = 0; d < dims; d++) n *= st.wide ? u64(raw, d * 8) : raw.readUInt32LE(d * 4);
    params += n;
    dtypes.add(ggmlTypeName((yield { read: 4 }).readUInt32LE(0)));
    yield { skip: 8 };
    if (cur.pos > GGUF_CAP) return;
  }
  f.dtypes = [...dtypes].sort();
  f.parameters = params;
  f.complete = true;
}

function finish(st: State, status: EndStatus, failure?: string): GgufFacts {
  const f = st.facts;
  f.complete ??= false;
  if (status === 'eof') st.warnings.push('file ends inside the GGUF header (truncated)');
  if (status === 'failed') st.warnings.push(`malformed GGUF header: ${failure}`);
  return st.warnings.length > 0 ? { ...f, warnings: st.warnings } : f;
}

/** A streaming probe over a GGUF file that stops after the tensor infos (or at GGUF_CAP bytes). */
export function ggufProbe(size: number): Probe {
  const st: State = { facts: { kind: 'gguf' }, warnings: [], wide: true };
  return new StreamProbe(size, (cur) => parse(st, cur), (_c, status, failure) => finish(st, status, failure));
}

/** Parses the head of a GGUF file; never throws. */
export function parseGguf(head: Buffer, fileSize: number): GgufFacts {
  return runProbe(ggufProbe(fileSize), head, fileSize) as GgufFacts;
}
