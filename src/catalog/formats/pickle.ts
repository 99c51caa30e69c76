// Raw pickle files (.pkl, .joblib, legacy torch.save): scanned for imports as they stream, dangerous ones flagged.
import type { Probe, ProbeFacts } from '../probe.js';
import { PickleScanner, type PickleScan } from './pickle-scanner.js';

export type { PickleScan } from './pickle-scanner.js';

/** Scans a buffered pickle (e.g. a zip entry) and returns what it found. */
export function scanPickleBuffer(data: Buffer): PickleScan {
  const s = new PickleScanner();
  s.push(data);
  return s.finish();
}

/** Facts of a raw pickle file (a .pkl/.joblib, or a legacy non-zip torch.save file). */
export interface PickleFacts extends ProbeFacts {
  kind: 'pickle';
  format: 'pickle' | 'pytorch-legacy';
  pickle: true;
  protocol?: number;
  imports: string[];
  dangerousImports: string[];
}

/** The warnings a pickle scan deserves: an incomplete scan, and every dangerous import. */
export function pickleWarnings(scan: PickleScan): string[] {
  const w: string[] = [];
  if (scan.error) w.push(`pickle could not be fully scanned: ${scan.error}`);
  if (scan.dangerousImports.length > 0) w.push(`pickle imports ${scan.dangerousImports.join(', ')} (code runs on load)`);
  return w;
}

/** The facts of a finished pickle scan (protocol 0/1 pickles have no PROTO opcode: protocol 0 is recorded for them). */
export function pickleFacts(scan: PickleScan, format: PickleFacts['format'] = 'pickle'): PickleFacts {
  const f: PickleFacts = { kind: 'pickle', format, pickle: true, imports: scan.imports, dangerousImports: scan.dangerousImports };
  if (scan.protocol !== undefined) f.protocol = scan.protocol;
  const warnings = pickleWarnings(scan);
  return warnings.length > 0 ? { ...f, warnings } : f;
}

/** A streaming probe over a raw pickle file; `format` says whether it is a legacy torch.save file. */
export function pickleProbe(_size: number, format: PickleFacts['format'] = 'pickle'): Probe {
  const scanner = new PickleScanner();
  return {
    update: (chunk) => scanner.push(chunk),
    end: (): PickleFacts => pickleFacts(scanner.finish(), format),
  };
}

/** Scans the head of a raw pickle file; never throws. */
export function parsePickle(head: Buffer, fileSize: number, format: PickleFacts['format'] = 'pickle'): PickleFacts {
  const p = pickleProbe(fileSize, format);
  p.update(head);
  return p.end(fileSize) as PickleFacts;
}
