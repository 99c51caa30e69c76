// Text capture for package catalogers: a probe rule that keeps a file's first bytes as a UTF-8 string.
import { HeadProbe } from '../probe.js';
import type { ProbeFacts } from '../probe.js';
import type { FileView, ProbeRule, ViewFile } from '../types.js';

/** Facts of a captured text file: its first `cap` bytes decoded, and whether the file was longer. */
export interface TextFacts extends ProbeFacts {
  kind: 'text';
  text: string;
  truncated: boolean;
}

/** Well-known capture caps. */
export const KiB = 1024;
export const MiB = 1024 * KiB;

/** A probe rule that captures the first `cap` bytes of every file `match` accepts as text facts. */
export function textRule(name: string, match: (path: string, size: number) => boolean, cap: number): ProbeRule {
  return {
    name,
    match,
    create: () =>
      new HeadProbe(cap, (head, fileSize): TextFacts => ({
        kind: 'text',
        text: head.toString('utf8'),
        truncated: fileSize > head.length,
      })),
  };
}

/** The text facts of a view entry, when a text probe captured it. */
export function textOf(file: ViewFile | undefined): TextFacts | undefined {
  const f = file?.facts;
  if (f === undefined || f.kind !== 'text' || typeof f.text !== 'string') return undefined;
  return { kind: 'text', text: f.text, truncated: f.truncated === true };
}

/** Regular files of the view that a rule claims, in path order. */
export function* claimedFiles(view: FileView, rule: ProbeRule): Generator<ViewFile> {
  for (const file of view.all()) {
    if (file.type === 'file' && rule.match(file.path, file.size)) yield file;
  }
}
