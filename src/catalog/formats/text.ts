// Text captures: small files (config.json, model cards, git refs) kept verbatim up to a cap for catalogers to parse.
import { HeadProbe, type Probe, type ProbeFacts } from '../probe.js';

/** Facts of a captured text file. */
export interface TextFacts extends ProbeFacts {
  kind: 'text';
  text: string;
  /** True when the file was longer than the cap and `text` is its beginning. */
  truncated?: boolean;
}

/** The captured text of `head` (UTF-8, BOM dropped), marked truncated when the file is longer than `cap`. */
export function parseText(head: Buffer, fileSize: number, cap: number): TextFacts {
  const text = head.subarray(0, cap).toString('utf8').replace(/^\uFEFF/, '');
  return fileSize > cap ? { kind: 'text', text, truncated: true } : { kind: 'text', text };
}

/** A probe capturing at most `cap` bytes of a text file. */
export function textProbe(cap: number): Probe {
  return new HeadProbe(cap, (head, size) => parseText(head, size, cap));
}

/** True when a sample of bytes looks like text (no NUL bytes, mostly printable). */
export function looksLikeText(sample: Buffer): boolean {
  if (sample.length === 0) return false;
  let odd = 0;
  for (const b of sample) {
    if (b === 0) return false;
    if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) odd++;
  }
  return odd * 20 < sample.length;
}
