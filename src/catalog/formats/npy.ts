// NumPy .npy arrays: the header dict (dtype, shape), and for object arrays the pickle that follows, scanned for imports.
import type { Probe, ProbeFacts } from '../probe.js';
import { pickleWarnings } from './pickle.js';
import { PickleScanner } from './pickle-scanner.js';

/** Facts of a .npy array. */
export interface NpyFacts extends ProbeFacts {
  kind: 'npy';
  dtype?: string;
  shape?: number[];
  /** True for object arrays: the data is a pickle and loading it runs pickle code. */
  object?: boolean;
  pickle?: boolean;
  imports?: string[];
  dangerousImports?: string[];
}

const HEADER_CAP = 64 * 1024;

/** Parses a .npy header dict text ("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }"). */
export function parseNpyHeader(text: string): { dtype?: string; shape?: number[] } | undefined {
  const descr = /'descr'\s*:\s*('([^']*)'|\[)/.exec(text);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descr || !shape) return undefined;
  const dims = shape[1]!.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (!dims.every((d) => /^\d+L?$/.test(d))) return undefined;
  return { dtype: descr[2] ?? 'structured', shape: dims.map((d) => Number.parseInt(d, 10)) };
}

/** A streaming probe over a .npy file: header first, then (object arrays only) the pickle body. */
export function npyProbe(): Probe {
  let head: Buffer = Buffer.alloc(0);
  let headerEnd = -1;
  let facts: NpyFacts = { kind: 'npy' };
  let scanner: PickleScanner | undefined;
  const warnings: string[] = [];
  const startBody = (rest: Buffer): boolean => {
    if (!scanner) return false;
    return rest.length === 0 ? true : scanner.push(rest);
  };
  return {
    update(chunk) {
      if (headerEnd >= 0) return scanner ? scanner.push(chunk) : false;
      head = Buffer.concat([head, chunk]);
      if (head.length < 10) return true;
      const major = head[6]!;
      const lenBytes = major === 1 ? 2 : 4;
      if (head.length < 8 + lenBytes) return true;
      const hlen = lenBytes === 2 ? head.readUInt16LE(8) : head.readUInt32LE(8);
      if (hlen > HEADER_CAP) {
        warnings.push(`header length ${hlen} is over the ${HEADER_CAP}-byte cap`);
        headerEnd = head.length;
        return false;
      }
      const end = 8 + lenBytes + hlen;
      if (head.length < end) return true;
      headerEnd = end;
      const parsed = parseNpyHeader(head.toString('latin1', 8 + lenBytes, end));
      if (!parsed) {
        warnings.push('header is not a NumPy array description');
        return false;
      }
      facts = { ...facts, ...parsed };
      // Object arrays ('|O') are stored as a pickle of the array's objects.
      if (/O/.test(parsed.dtype ?? '')) {
        facts.object = true;
        facts.pickle = true;
        scanner = new PickleScanner();
      }
      const rest = head.subarray(end);
      head = Buffer.alloc(0);
      return startBody(rest);
    },
    end(): NpyFacts {
      if (headerEnd < 0) warnings.push('file ends inside the .npy header');
      if (scanner) {
        const scan = scanner.finish();
        facts.imports = scan.imports;
        facts.dangerousImports = scan.dangerousImports;
        warnings.push(...pickleWarnings(scan));
      }
      return warnings.length > 0 ? { ...facts, warnings } : facts;
    },
  };
}
