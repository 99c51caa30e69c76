// safetensors: an 8-byte little-endian header length, then that many bytes of JSON describing the tensors.
import type { Probe, ProbeFacts } from '../probe.js';
import { runProbe, StreamProbe, u64, type Cursor, type EndStatus, type StreamParser } from './stream.js';

/** The largest header we read (syft uses the same order of magnitude); longer headers are reported, not parsed. */
export const SAFETENSORS_HEADER_CAP = 100 * 1024 * 1024;
const META_KEYS_CAP = 64;
const META_VALUE_CAP = 1024;

/** Facts of a safetensors file. */
export interface SafetensorsFacts extends ProbeFacts {
  kind: 'safetensors';
  headerLength?: number;
  tensorCount?: number;
  dtypes?: string[];
  parameters?: number;
  metadata?: Record<string, string>;
}

interface State {
  facts: SafetensorsFacts;
  warnings: string[];
}

function* parse(st: State, cur: Cursor): StreamParser {
  const n = u64(yield { read: 8 });
  st.facts.headerLength = n;
  if (n > cur.size - 8) {
    st.warnings.push(`header length ${n} is beyond the file size ${cur.size}`);
    return;
  }
  if (n > SAFETENSORS_HEADER_CAP) {
    st.warnings.push(`header length ${n} is over the ${SAFETENSORS_HEADER_CAP}-byte cap; not parsed`);
    return;
  }
  const json = yield { read: n };
  summarize(json, 8 + n, st, cur.size);
}

function summarize(json: Buffer, dataStart: number, st: State, size: number): void {
  let header: unknown;
  try {
    header = JSON.parse(json.toString('utf8'));
  } catch {
    st.warnings.push('header is not valid JSON');
    return;
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    st.warnings.push('header is not a JSON object');
    return;
  }
  const dtypes = new Set<string>();
  let count = 0;
  let params = 0;
  let bad = 0;
  let beyond = false;
  for (const [name, v] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      st.facts.metadata = metadataOf(v, st);
      continue;
    }
    const t = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const shape = t?.shape;
    if (typeof t?.dtype !== 'string' || !Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      bad++;
      continue;
    }
    count++;
    dtypes.add(t.dtype);
    params += (shape as number[]).reduce((a, b) => a * b, 1);
    const offs = t.data_offsets;
    if (Array.isArray(offs) && typeof offs[1] === 'number' && dataStart + offs[1] > size) beyond = true;
  }
  st.facts.tensorCount = count;
  st.facts.dtypes = [...dtypes].sort();
  st.facts.parameters = params;
  if (bad > 0) st.warnings.push(`${bad} tensor entries lack a dtype or shape`);
  if (beyond) st.warnings.push('tensor data offsets point beyond the end of the file');
}

function metadataOf(v: unknown, st: State): Record<string, string> | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    st.warnings.push('__metadata__ is not an object');
    return undefined;
  }
  const out: Record<string, string> = {};
  const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [k, val] of entries.slice(0, META_KEYS_CAP)) {
    if (typeof val !== 'string') {
      st.warnings.push(`__metadata__ value of ${k} is not a string`);
      continue;
    }
    out[k] = val.length > META_VALUE_CAP ? `${val.slice(0, META_VALUE_CAP)}…` : val;
  }
  if (entries.length > META_KEYS_CAP) st.warnings.push(`__metadata__ has ${entries.length} keys; kept ${META_KEYS_CAP}`);
  return out;
}

function finish(st: State, status: EndStatus, failure?: string): SafetensorsFacts {
  if (status === 'eof') st.warnings.push('file ends inside the header');
  if (status === 'cut') st.warnings.push('head ends before the header does');
  if (status === 'failed') st.warnings.push(`header could not be parsed: ${failure}`);
  return st.warnings.length > 0 ? { ...st.facts, warnings: st.warnings } : st.facts;
}

/** A streaming probe that reads at most 8 + min(header length, cap) bytes of a safetensors file. */
export function safetensorsProbe(size: number): Probe {
  const st: State = { facts: { kind: 'safetensors' }, warnings: [] };
  return new StreamProbe(size, (cur) => parse(st, cur), (_cur, status, failure) => finish(st, status, failure));
}

/** Parses the head of a safetensors file; never throws. */
export function parseSafetensors(head: Buffer, fileSize: number): SafetensorsFacts {
  return runProbe(safetensorsProbe(fileSize), head, fileSize) as SafetensorsFacts;
}
