// Generated fixtures for format tests: valid and malformed ML file bytes built by hand, and a random-chunk feeder.
import type { Probe, ProbeFacts } from '../../../../src/catalog/probe.js';

/** A safetensors file: header JSON for the given tensors (F32 data zero-filled) and optional metadata. */
export function safetensorsFile(tensors: Record<string, { dtype: string; shape: number[] }>, metadata?: Record<string, string>): Buffer {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let off = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const bytes = t.shape.reduce((a, b) => a * b, 1) * (t.dtype === 'F32' ? 4 : 2);
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [off, off + bytes] };
    off += bytes;
  }
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([len, json, Buffer.alloc(off)]);
}

const u32 = (n: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; };
const u64 = (n: number): Buffer => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(n)); return b; };
const gstr = (s: string): Buffer => Buffer.concat([u64(Buffer.byteLength(s)), Buffer.from(s)]);

/** A GGUF v3 value: a string, a u32, or an array of strings / u32s. */
export type GgufValue = string | number | string[] | number[];

function gvalue(v: GgufValue): Buffer {
  if (typeof v === 'string') return Buffer.concat([u32(8), gstr(v)]);
  if (typeof v === 'number') return Buffer.concat([u32(4), u32(v)]);
  if (v.every((x) => typeof x === 'string')) return Buffer.concat([u32(9), u32(8), u64(v.length), ...(v as string[]).map(gstr)]);
  return Buffer.concat([u32(9), u32(4), u64(v.length), ...(v as number[]).map(u32)]);
}

/** A GGUF v3 file: metadata KVs, tensor infos (F16 type 1), then some padding bytes standing in for data. */
export function ggufFile(kv: Record<string, GgufValue>, tensors: Array<{ name: string; dims: number[]; type?: number }>): Buffer {
  const parts = [Buffer.from('GGUF'), u32(3), u64(tensors.length), u64(Object.keys(kv).length)];
  for (const [k, v] of Object.entries(kv)) parts.push(gstr(k), gvalue(v));
  for (const t of tensors) parts.push(gstr(t.name), u32(t.dims.length), ...t.dims.map(u64), u32(t.type ?? 1), u64(0));
  parts.push(Buffer.alloc(64));
  return Buffer.concat(parts);
}

// Hand-rolled protobuf encoding, independent of the code under test.
function varint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 128) { out.push((n % 128) + 128); n = Math.floor(n / 128); }
  out.push(n);
  return Buffer.from(out);
}
const pbInt = (field: number, v: number): Buffer => Buffer.concat([varint(field * 8), varint(v)]);
const pbBytes = (field: number, v: Buffer | string): Buffer => {
  const b = Buffer.isBuffer(v) ? v : Buffer.from(v);
  return Buffer.concat([varint(field * 8 + 2), varint(b.length), b]);
};

/** An ONNX ModelProto: ir_version, producer, a graph of `graphBytes` filler bytes, then opset_import and metadata. */
export function onnxFile(o: { ir: number; producer: string; version: string; graphBytes: number; opsets: Array<[string, number]>; meta?: Record<string, string> }): Buffer {
  const graph = Buffer.alloc(o.graphBytes, 0x41);
  return Buffer.concat([
    pbInt(1, o.ir),
    pbBytes(2, o.producer),
    pbBytes(3, o.version),
    pbInt(5, 1),
    pbBytes(7, graph),
    ...o.opsets.map(([d, v]) => pbBytes(8, Buffer.concat([pbBytes(1, d), pbInt(2, v)]))),
    ...Object.entries(o.meta ?? {}).map(([k, v]) => pbBytes(14, Buffer.concat([pbBytes(1, k), pbBytes(2, v)]))),
  ]);
}

/** A zip with stored (uncompressed) entries, local headers then a minimal central directory stub. */
export function zipFile(entries: Array<{ name: string; data: Buffer }>): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt32LE(e.data.length, 18);
    h.writeUInt32LE(e.data.length, 22);
    h.writeUInt16LE(Buffer.byteLength(e.name), 26);
    parts.push(h, Buffer.from(e.name), e.data);
  }
  const cd = Buffer.alloc(46);
  cd.writeUInt32LE(0x02014b50, 0);
  return Buffer.concat([...parts, cd]);
}

/** A protocol-2 pickle of `collections.OrderedDict()` via GLOBAL; with `evil`, also a GLOBAL of os.system called. */
export function pickleFile(evil = false): Buffer {
  const ops = [Buffer.from([0x80, 0x02]), Buffer.from('ccollections\nOrderedDict\nq\x00)R', 'latin1')];
  if (evil) ops.push(Buffer.from('cos\nsystem\nq\x01X\x02\x00\x00\x00id\x85R0', 'latin1'));
  ops.push(Buffer.from('.'));
  return Buffer.concat(ops);
}

/** A protocol-4 pickle using STACK_GLOBAL for builtins.eval (memoized strings) and torch._utils._rebuild_tensor_v2. */
export function stackGlobalPickle(): Buffer {
  const su = (s: string): Buffer => Buffer.concat([Buffer.from([0x8c, s.length]), Buffer.from(s), Buffer.from([0x94])]);
  return Buffer.concat([
    Buffer.from([0x80, 0x04, 0x95]), u64(0),
    su('torch._utils'), su('_rebuild_tensor_v2'), Buffer.from([0x93, 0x94]),
    su('builtins'), su('eval'), Buffer.from([0x93, 0x94]),
    Buffer.from([0x68, 0x00]), Buffer.from([0x68, 0x01]), Buffer.from([0x93]), // memo gets: torch._utils._rebuild_tensor_v2 again
    Buffer.from('0000.'),
  ]);
}

/** An HDF5 file head: signature at `offset` followed by a superblock version byte and Keras attribute names. */
export function hdf5File(offset = 0): Buffer {
  const b = Buffer.alloc(offset + 256);
  Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0x00]).copy(b, offset);
  Buffer.from('keras_version').copy(b, offset + 100);
  return b;
}

/** A minimal TFLite FlatBuffer: root table with version=3 and a description string. */
export function tfliteFile(): Buffer {
  const b = Buffer.alloc(64);
  b.writeUInt32LE(20, 0); // root table at 20
  b.write('TFL3', 4, 'latin1');
  // vtable at 8: vtable size 12 (4 + 4 fields), table size 12, field0 at +4, fields 1-2 absent, field3 at +8
  b.writeUInt16LE(12, 8); b.writeUInt16LE(12, 10); b.writeUInt16LE(4, 12); b.writeUInt16LE(0, 14); b.writeUInt16LE(0, 16); b.writeUInt16LE(8, 18);
  b.writeInt32LE(20 - 8, 20); // table → vtable (soffset: table - vtable)
  b.writeUInt32LE(3, 24); // version
  b.writeUInt32LE(36 - 28, 28); // description: uoffset to string at 36
  b.writeUInt32LE(5, 36); b.write('hello', 40);
  return b;
}

/** A seeded random number generator (mulberry32), so chunkings are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Feeds `data` to a probe in random chunk sizes (1..maxChunk), stopping when it says it needs no more. */
export function feed(probe: Probe, data: Buffer, seed: number, maxChunk = 37): ProbeFacts {
  const r = rng(seed);
  let off = 0;
  while (off < data.length) {
    const n = 1 + Math.floor(r() * maxChunk);
    // A reused buffer, scribbled over after each call, catches probes that keep references to chunks.
    const chunk = Buffer.from(data.subarray(off, off + n));
    const more = probe.update(chunk);
    chunk.fill(0xee);
    off += n;
    if (!more) break;
  }
  return probe.end(data.length);
}
