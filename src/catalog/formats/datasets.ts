// Dataset files: parquet and Arrow by magic bytes; JSON Lines and CSV by extension, with the first record's columns.
import { HeadProbe, type Probe, type ProbeFacts } from '../probe.js';

/** How much of a JSON Lines or CSV file we look at. */
export const TABULAR_HEAD = 64 * 1024;
const COLUMNS_CAP = 200;

/** Facts of a dataset file. */
export interface DataFacts extends ProbeFacts {
  kind: 'parquet' | 'arrow' | 'jsonl' | 'csv';
  format?: string;
  columns?: string[];
}

/** Checks the parquet magic ("PAR1" at the start, and at the end when the head is the whole file). */
export function parseParquet(head: Buffer, fileSize: number): DataFacts {
  if (head.length < 4 || head.toString('latin1', 0, 4) !== 'PAR1') return { kind: 'parquet', warnings: ['no PAR1 magic'] };
  if (head.length >= fileSize && (fileSize < 8 || head.toString('latin1', fileSize - 4, fileSize) !== 'PAR1')) {
    return { kind: 'parquet', format: 'parquet', warnings: ['no PAR1 footer magic (truncated file)'] };
  }
  return { kind: 'parquet', format: 'parquet' };
}

/** Recognizes an Arrow IPC file ("ARROW1") or stream (0xFFFFFFFF continuation marker). */
export function parseArrow(head: Buffer, _fileSize: number): DataFacts {
  if (head.length >= 6 && head.toString('latin1', 0, 6) === 'ARROW1') return { kind: 'arrow', format: 'arrow-file' };
  if (head.length >= 8 && head.readUInt32LE(0) === 0xffffffff) return { kind: 'arrow', format: 'arrow-stream' };
  return { kind: 'arrow', warnings: ['no Arrow file magic or stream marker'] };
}

function firstLine(head: Buffer, fileSize: number): string | undefined {
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const nl = text.indexOf('\n');
  if (nl < 0) return head.length >= fileSize ? text : undefined;
  return text.slice(0, nl).replace(/\r$/, '');
}

/** Reads the keys of the first JSON Lines record. */
export function parseJsonl(head: Buffer, fileSize: number): DataFacts {
  const line = firstLine(head, fileSize);
  if (line === undefined) return { kind: 'jsonl', warnings: ['first record is longer than the head'] };
  if (line.trim() === '') return { kind: 'jsonl', columns: [] };
  try {
    const rec: unknown = JSON.parse(line);
    if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) return { kind: 'jsonl', columns: [] };
    return { kind: 'jsonl', columns: Object.keys(rec).slice(0, COLUMNS_CAP) };
  } catch {
    return { kind: 'jsonl', warnings: ['first line is not valid JSON'] };
  }
}

/** Reads the header row of a CSV (or TSV) file. */
export function parseCsv(head: Buffer, fileSize: number, separator = ','): DataFacts {
  const line = firstLine(head, fileSize);
  if (line === undefined) return { kind: 'csv', warnings: ['header row is longer than the head'] };
  const columns: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i <= line.length; i++) {
    const c = line[i];
    if (c === undefined || (c === separator && !quoted)) {
      columns.push(cell.trim());
      cell = '';
    } else if (c === '"') {
      if (quoted && line[i + 1] === '"') cell += line[++i];
      else quoted = !quoted;
    } else cell += c;
    if (columns.length >= COLUMNS_CAP) break;
  }
  return { kind: 'csv', format: separator === '\t' ? 'tsv' : 'csv', columns };
}

/** A probe for a dataset file of the given kind (parquet, arrow, jsonl, csv, tsv). */
export function dataProbe(kind: 'parquet' | 'arrow' | 'jsonl' | 'csv' | 'tsv'): Probe {
  switch (kind) {
    case 'parquet': return new HeadProbe(4, parseParquet);
    case 'arrow': return new HeadProbe(8, parseArrow);
    case 'jsonl': return new HeadProbe(TABULAR_HEAD, parseJsonl);
    case 'csv': return new HeadProbe(TABULAR_HEAD, (h, size) => parseCsv(h, size, ','));
    case 'tsv': return new HeadProbe(TABULAR_HEAD, (h, size) => parseCsv(h, size, '\t'));
  }
}
