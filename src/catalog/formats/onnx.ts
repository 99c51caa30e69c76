// ONNX: a protobuf ModelProto walked field by field as it streams; the huge graph is skipped, never buffered.
import type { Probe, ProbeFacts } from '../probe.js';
import { decodeMessage, pbNumber, pbString } from './protobuf.js';
import { readVarint, runProbe, StreamProbe, type Cursor, type EndStatus, type StreamParser } from './stream.js';

/** Fields of ModelProto we keep (all small): ir_version, producer_name/version, domain, model_version, opsets, metadata. */
const KEEP = new Set([2, 3, 4, 8, 14]);
const SMALL_CAP = 1024 * 1024;
const META_CAP = 64;

/** Facts of an ONNX model file. */
export interface OnnxFacts extends ProbeFacts {
  kind: 'onnx';
  irVersion?: number;
  producer?: string;
  producerVersion?: string;
  domain?: string;
  modelVersion?: number;
  opsets?: Array<{ domain: string; version: number }>;
  metadata?: Record<string, string>;
  hasGraph?: boolean;
}

interface State {
  facts: OnnxFacts;
  warnings: string[];
  atBoundary: boolean;
}

class Malformed extends Error {}

function keepField(st: State, field: number, data: Buffer): void {
  const f = st.facts;
  if (field === 2) f.producer = data.toString('utf8');
  else if (field === 3) f.producerVersion = data.toString('utf8');
  else if (field === 4) f.domain = data.toString('utf8');
  else if (field === 8) {
    const m = decodeMessage(data);
    if (!m) return void st.warnings.push('malformed opset_import entry');
    (f.opsets ??= []).push({ domain: pbString(m, 1) ?? '', version: pbNumber(m, 2) ?? 0 });
  } else if (field === 14) {
    const m = decodeMessage(data);
    const key = m && pbString(m, 1);
    if (key === undefined) return void st.warnings.push('malformed metadata_props entry');
    const meta = (f.metadata ??= {});
    if (Object.keys(meta).length < META_CAP) meta[key] = (pbString(m!, 2) ?? '').slice(0, 1024);
  }
}

function* parse(st: State, cur: Cursor): StreamParser {
  for (;;) {
    st.atBoundary = true;
    const first = (yield { read: 1 })[0]!;
    st.atBoundary = false;
    const tag = yield* readVarint(first);
    if (tag === undefined) throw new Malformed('varint longer than 10 bytes');
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === 0) throw new Malformed(`field number 0 at offset ${cur.pos}`);
    if (wire === 0) {
      const v = yield* readVarint();
      if (v === undefined) throw new Malformed('varint longer than 10 bytes');
      if (field === 1) st.facts.irVersion = v;
      if (field === 5) st.facts.modelVersion = v;
    } else if (wire === 1 || wire === 5) {
      yield { skip: wire === 1 ? 8 : 4 };
    } else if (wire === 2) {
      const n = yield* readVarint();
      if (n === undefined) throw new Malformed('varint longer than 10 bytes');
      if (n > cur.size - cur.pos) throw new Malformed(`field ${field} of ${n} bytes runs past the end of the file`);
      if (field === 7) st.facts.hasGraph = true;
      if (KEEP.has(field) && n <= SMALL_CAP) keepField(st, field, yield { read: n });
      else yield { skip: n };
    } else {
      throw new Malformed(`wire type ${wire} at offset ${cur.pos} is not valid in a ModelProto`);
    }
  }
}

function finish(st: State, status: EndStatus, failure?: string): OnnxFacts {
  const f = st.facts;
  if (status === 'failed') st.warnings.push(`not a valid ONNX protobuf: ${failure}`);
  if (status === 'eof' && !st.atBoundary) st.warnings.push('file ends inside a protobuf field (truncated)');
  if (status !== 'failed' && f.irVersion === undefined && !f.hasGraph) st.warnings.push('no ONNX ir_version or graph found');
  return st.warnings.length > 0 ? { ...f, warnings: st.warnings } : f;
}

/** A streaming probe over a whole ONNX file: it walks top-level fields and buffers only the small ones. */
export function onnxProbe(size: number): Probe {
  const st: State = { facts: { kind: 'onnx' }, warnings: [], atBoundary: true };
  return new StreamProbe(size, (cur) => parse(st, cur), (_c, status, failure) => finish(st, status, failure));
}

/** Parses an ONNX file's bytes (a head gives the fields that fit in it); never throws. */
export function parseOnnx(head: Buffer, fileSize: number): OnnxFacts {
  return runProbe(onnxProbe(fileSize), head, fileSize) as OnnxFacts;
}
