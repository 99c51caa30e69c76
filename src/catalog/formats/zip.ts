// Zip archives (PyTorch zip checkpoints, .keras, .npz): walk local file headers as they stream, scan embedded pickles.
import { inflateRawSync } from 'node:zlib';
import type { Probe, ProbeFacts } from '../probe.js';
import { pickleWarnings, scanPickleBuffer, type PickleScan } from './pickle.js';
import { runProbe, StreamProbe, u64, type Cursor, type EndStatus, type StreamParser } from './stream.js';

const ENTRY_CAP = 1000;
const PICKLE_ENTRY_CAP = 32 * 1024 * 1024;
const PICKLE_ENTRIES_SCANNED = 16;
const LOCAL = 0x04034b50;
const END_SIGS = new Set([0x02014b50, 0x06054b50, 0x06064b50, 0x07064b50, 0x05054b50]);

/** Facts of a zip-based model file. */
export interface ZipFacts extends ProbeFacts {
  kind: 'pytorch' | 'keras' | 'numpy' | 'zip';
  format: 'pytorch-zip' | 'keras-v3' | 'npz' | 'zip';
  /** Entry names in order (capped at 1000). */
  entries: string[];
  entryCount: number;
  pickle: boolean;
  imports?: string[];
  dangerousImports?: string[];
  kerasVersion?: string;
}

interface State {
  entries: string[];
  count: number;
  scan: PickleScan;
  pickles: number;
  warnings: string[];
  atBoundary: boolean;
  kerasVersion?: string;
}

function sizesFromZip64(extra: Buffer, comp: number, uncomp: number): number {
  for (let off = 0; off + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(off);
    const len = extra.readUInt16LE(off + 2);
    if (id === 0x0001) {
      // The zip64 field holds, in order, only the sizes whose 32-bit slot is 0xffffffff.
      let p = off + 4;
      if (uncomp === 0xffffffff) p += 8;
      if (comp === 0xffffffff && p + 8 <= off + 4 + len) return u64(extra, p);
      return comp;
    }
    off += 4 + len;
  }
  return comp;
}

function* walk(st: State, cur: Cursor): StreamParser {
  for (;;) {
    st.atBoundary = true;
    const sig = (yield { read: 4 }).readUInt32LE(0);
    st.atBoundary = false;
    if (END_SIGS.has(sig)) return;
    if (sig !== LOCAL) throw new Error(`bad zip local header signature at offset ${cur.pos - 4}`);
    const h = yield { read: 26 };
    const flags = h.readUInt16LE(2);
    const method = h.readUInt16LE(4);
    const uncomp = h.readUInt32LE(18);
    const name = (yield { read: h.readUInt16LE(22) }).toString('utf8');
    const comp = sizesFromZip64(yield { read: h.readUInt16LE(24) }, h.readUInt32LE(14), uncomp);
    st.count++;
    if (st.entries.length < ENTRY_CAP) st.entries.push(name);
    if ((flags & 0x08) !== 0 && comp === 0) {
      st.warnings.push(`zip entry ${name} has no size in its local header; listing stopped`);
      return;
    }
    if (comp > cur.size - cur.pos) throw new Error(`zip entry ${name} runs past the end of the file`);
    const isPkl = /\.pkl$/i.test(name);
    const isKerasMeta = name === 'metadata.json' && comp <= 64 * 1024;
    if (isPkl && st.pickles < PICKLE_ENTRIES_SCANNED && comp <= PICKLE_ENTRY_CAP && (method === 0 || method === 8)) {
      st.pickles++;
      const data = inflate(yield { read: comp }, method, st, name);
      if (data) mergeScan(st.scan, scanPickleBuffer(data), name);
    } else if (isKerasMeta && (method === 0 || method === 8)) {
      const data = inflate(yield { read: comp }, method, st, name);
      st.kerasVersion = data ? kerasVersionOf(data) : undefined;
    } else {
      if (isPkl) st.warnings.push(`pickle entry ${name} was not scanned (compression method ${method} or size)`);
      yield { skip: comp };
    }
  }
}

function mergeScan(into: PickleScan, from: PickleScan, entry: string): void {
  for (const i of from.imports) if (!into.imports.includes(i)) into.imports.push(i);
  for (const i of from.dangerousImports) if (!into.dangerousImports.includes(i)) into.dangerousImports.push(i);
  if (from.error) into.error ??= `${entry}: ${from.error}`;
}

function inflate(data: Buffer, method: number, st: State, name: string): Buffer | undefined {
  if (method === 0) return data;
  try {
    return inflateRawSync(data, { maxOutputLength: 4 * PICKLE_ENTRY_CAP });
  } catch {
    st.warnings.push(`zip entry ${name} could not be inflated`);
    return undefined;
  }
}

function kerasVersionOf(data: Buffer): string | undefined {
  try {
    const v = (JSON.parse(data.toString('utf8')) as { keras_version?: unknown }).keras_version;
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

function classify(path: string, entries: string[]): Pick<ZipFacts, 'kind' | 'format'> {
  if (entries.some((e) => /(^|\/)data\.pkl$/.test(e))) return { kind: 'pytorch', format: 'pytorch-zip' };
  if (/\.keras$/i.test(path) || ['config.json', 'model.weights.h5'].every((n) => entries.includes(n))) {
    return { kind: 'keras', format: 'keras-v3' };
  }
  if (/\.npz$/i.test(path) || (entries.length > 0 && entries.every((e) => e.endsWith('.npy')))) {
    return { kind: 'numpy', format: 'npz' };
  }
  return { kind: 'zip', format: 'zip' };
}

function finish(path: string, st: State, status: EndStatus, failure?: string): ZipFacts {
  const warnings = [...st.warnings];
  if (status === 'failed') warnings.push(`malformed zip: ${failure}`);
  if (status === 'eof' && !st.atBoundary) warnings.push('file ends inside a zip entry (truncated)');
  warnings.push(...pickleWarnings(st.scan));
  const { dangerousImports, imports } = st.scan;
  const pickle = st.entries.some((e) => /\.pkl$/i.test(e));
  const f: ZipFacts = { ...classify(path, st.entries), entries: st.entries, entryCount: st.count, pickle };
  if (pickle) Object.assign(f, { imports, dangerousImports });
  if (st.kerasVersion) f.kerasVersion = st.kerasVersion;
  return warnings.length > 0 ? { ...f, warnings } : f;
}

/** A streaming probe listing a zip's entries (without buffering their data) and scanning its .pkl entries. */
export function zipProbe(path: string, size: number): Probe {
  const st: State = { entries: [], count: 0, scan: { imports: [], dangerousImports: [], pickles: 0 }, pickles: 0, warnings: [], atBoundary: true };
  return new StreamProbe(size, (cur) => walk(st, cur), (_c, status, failure) => finish(path, st, status, failure));
}

/** Parses the head of a zip-based model file; never throws. */
export function parseZip(path: string, head: Buffer, fileSize: number): ZipFacts {
  return runProbe(zipProbe(path, fileSize), head, fileSize) as ZipFacts;
}
