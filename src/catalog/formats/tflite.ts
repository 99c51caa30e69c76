// TFLite: a FlatBuffer whose file identifier "TFL3" sits at bytes 4..8; the root Model table holds `version`.
import { HeadProbe, type Probe, type ProbeFacts } from '../probe.js';

/** How much of a TFLite file we look at. */
export const TFLITE_HEAD = 64 * 1024;

/** Facts of a TFLite model. */
export interface TfliteFacts extends ProbeFacts {
  kind: 'tflite';
  version?: number;
  description?: string;
}

/** True when the head carries the TFLite FlatBuffer identifier. */
export function isTflite(head: Buffer): boolean {
  return head.length >= 8 && head.toString('latin1', 4, 8) === 'TFL3';
}

// Reads field `index` of the table at `table`: its absolute offset, or undefined when absent or out of bounds.
function fieldOffset(buf: Buffer, table: number, index: number): number | undefined {
  if (table + 4 > buf.length) return undefined;
  const vtable = table - buf.readInt32LE(table);
  if (vtable < 0 || vtable + 4 > buf.length) return undefined;
  const vlen = buf.readUInt16LE(vtable);
  const slot = 4 + 2 * index;
  if (slot + 2 > vlen || vtable + slot + 2 > buf.length) return undefined;
  const rel = buf.readUInt16LE(vtable + slot);
  return rel === 0 ? undefined : table + rel;
}

/** Parses the head of a TFLite file (version and description when they are in the head); never throws. */
export function parseTflite(head: Buffer, _fileSize: number): TfliteFacts {
  if (!isTflite(head)) return { kind: 'tflite', warnings: ['no TFL3 FlatBuffer identifier'] };
  const f: TfliteFacts = { kind: 'tflite' };
  const root = head.readUInt32LE(0);
  const v = fieldOffset(head, root, 0);
  if (v !== undefined && v + 4 <= head.length) f.version = head.readUInt32LE(v);
  const d = fieldOffset(head, root, 3);
  if (d !== undefined && d + 4 <= head.length) {
    const s = d + head.readUInt32LE(d);
    if (s + 4 <= head.length) {
      const n = head.readUInt32LE(s);
      if (n <= 1024 && s + 4 + n <= head.length) f.description = head.toString('utf8', s + 4, s + 4 + n);
    }
  }
  return f;
}

/** A probe keeping the first TFLITE_HEAD bytes of a TFLite file. */
export function tfliteProbe(): Probe {
  return new HeadProbe(TFLITE_HEAD, parseTflite);
}
