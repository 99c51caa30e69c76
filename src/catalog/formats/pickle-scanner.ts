// A resumable pickle opcode scanner over buffers: fast (no per-opcode generators), bounded, never executing anything.
import { isDangerousImport, OP, PICKLE_OPS } from './pickle-ops.js';

// Flat lookup tables (module-local copies keep the hot loop free of property lookups).
const KIND = new Uint8Array(256); // 0 unknown, 1 fixed, 2 line, 3 length-prefixed
const ARG = new Uint8Array(256); // fixed size, line count, or length-prefix size
const KEEP_STR = new Uint8Array(256);
for (const [op, a] of PICKLE_OPS) {
  if ('fixed' in a) [KIND[op], ARG[op]] = [1, a.fixed];
  else if ('line' in a) [KIND[op], ARG[op]] = [2, a.line];
  else [KIND[op], ARG[op], KEEP_STR[op]] = [3, a.lenBytes, a.string || op === OP.SHORT_BINSTRING || op === OP.BINSTRING ? 1 : 0];
}
const { STOP, PROTO } = OP;

const IMPORTS_CAP = 200;
const STRING_KEEP = 256;
const LINE_CAP = 64 * 1024;
const MEMO_CAP = 100_000;
const PICKLES_CAP = 8;

/** What a pickle scan found. */
export interface PickleScan {
  protocol?: number;
  /** Imports the pickle asks for, as "module.name", in first-seen order (capped). */
  imports: string[];
  dangerousImports: string[];
  /** Number of complete pickles (STOP reached). */
  pickles: number;
  error?: string;
}

/** Scans pickle bytes pushed in any chunking; stops after the last of consecutive pickles (legacy torch writes several). */
export class PickleScanner {
  readonly scan: PickleScan = { imports: [], dangerousImports: [], pickles: 0 };
  private pending: Buffer = Buffer.alloc(0);
  private skipLeft = 0;
  private done = false;
  private atStart = true;
  private firstOp = false;
  private pushes: Array<string | undefined> = [];
  private memo = new Map<number, string | undefined>();
  private received = 0;
  /** Bytes consumed when the scan ended (just past the last STOP), or -1 while it goes on. */
  endOffset = -1;

  /** True while the scanner wants more bytes. */
  get wantsMore(): boolean {
    return !this.done;
  }

  /** Scans the next bytes; returns false once scanning is over (STOP of the last pickle, or an error). */
  push(chunk: Buffer): boolean {
    if (this.done) return false;
    this.received += chunk.length;
    let data = chunk;
    if (this.skipLeft > 0) {
      const n = Math.min(this.skipLeft, data.length);
      this.skipLeft -= n;
      data = data.subarray(n);
      if (data.length === 0) return true;
    }
    const buf = this.pending.length > 0 ? Buffer.concat([this.pending, data]) : data;
    const used = this.run(buf);
    if (this.done && this.endOffset < 0) this.endOffset = this.received - (buf.length - used);
    // Keep (a copy of) the incomplete opcode at the end for the next chunk.
    this.pending = this.done ? Buffer.alloc(0) : Buffer.from(buf.subarray(used));
    if (this.pending.length > LINE_CAP + 16) this.stop('text argument longer than 64 KiB');
    return !this.done;
  }

  /** Ends the scan: notes a pickle cut short when nothing complete was seen. */
  finish(): PickleScan {
    if (!this.done && this.scan.pickles === 0) this.scan.error ??= 'pickle ends before STOP';
    if (this.endOffset < 0) this.endOffset = this.received - this.pending.length - this.skipLeft;
    this.done = true;
    return this.scan;
  }

  private stop(error?: string): void {
    // Bytes after a complete pickle may be raw tensor data: only a failure inside the first pickle is a problem.
    if (error && this.scan.pickles === 0) this.scan.error = error;
    this.done = true;
  }

  // Scans whole opcodes in buf; returns the offset of the first byte not consumed.
  private run(buf: Buffer): number {
    let i = 0;
    while (i < buf.length && !this.done) {
      const op = buf[i]!;
      if (this.atStart) {
        if (this.scan.pickles > 0 && (op !== PROTO || this.scan.pickles >= PICKLES_CAP)) {
          this.stop();
          return i;
        }
        this.atStart = false;
        this.firstOp = true;
        this.pushes = [];
        this.memo.clear();
      }
      const kind = KIND[op]!;
      if (kind === 0) {
        this.stop(`unknown opcode 0x${op.toString(16)}`);
        return i;
      }
      const a = i + 1;
      const n0 = ARG[op]!;
      if (op === STOP) {
        this.scan.pickles++;
        this.atStart = true;
        i = a;
      } else if (kind === 1) {
        if (a + n0 > buf.length) return i;
        if (n0 === 0) this.zeroArg(op);
        else this.fixed(op, buf, a);
        i = a + n0;
      } else if (kind === 2) {
        const nl1 = buf.indexOf(0x0a, a);
        const nl2 = n0 === 2 && nl1 >= 0 ? buf.indexOf(0x0a, nl1 + 1) : nl1;
        if (nl1 < 0 || nl2 < 0) return i;
        this.text(op, buf.toString('latin1', a, nl1), n0 === 2 ? buf.toString('latin1', nl1 + 1, nl2) : undefined);
        i = nl2 + 1;
      } else {
        if (a + n0 > buf.length) return i;
        const n = n0 === 1 ? buf[a]! : n0 === 4 ? buf.readUInt32LE(a) : Number(buf.readBigUInt64LE(a));
        const start = a + n0;
        if (KEEP_STR[op] === 1 && n <= STRING_KEEP) {
          if (start + n > buf.length) return i;
          this.push1(buf.toString('utf8', start, start + n));
          i = start + n;
        } else {
          this.push1(undefined);
          // Large payloads (tensor bytes) are skipped, across chunks when needed.
          if (start + n > buf.length) {
            this.skipLeft = start + n - buf.length;
            return buf.length;
          }
          i = start + n;
        }
      }
      this.firstOp = false;
    }
    return i;
  }

  private zeroArg(op: number): void {
    if (op === OP.MEMOIZE) this.remember(this.memo.size);
    else if (op === OP.STACK_GLOBAL) {
      const name = this.pushes.pop();
      this.addImport(this.pushes.pop(), name);
      this.push1(undefined);
    } else if (op !== OP.POP && op !== OP.POP_MARK) this.push1(undefined);
  }

  private fixed(op: number, b: Buffer, at: number): void {
    if (op === PROTO) {
      // Real picklers write PROTO (protocol 2..5) only as the first opcode; anything else is not a pickle.
      if (b[at]! > 5 || !this.firstOp) this.stop(`bad PROTO opcode (protocol ${b[at]})`);
      else this.scan.protocol ??= b[at];
    }
    else if (op === OP.BINPUT) this.remember(b[at]!);
    else if (op === OP.LONG_BINPUT) this.remember(b.readUInt32LE(at));
    else if (op === OP.BINGET) this.push1(this.memo.get(b[at]!));
    else if (op === OP.LONG_BINGET) this.push1(this.memo.get(b.readUInt32LE(at)));
    else if (op !== OP.FRAME) this.push1(undefined);
  }

  private text(op: number, a: string, b: string | undefined): void {
    if (b !== undefined) {
      this.addImport(a, b); // GLOBAL and INST
      this.push1(undefined);
    } else if (op === OP.PUT) this.remember(Number(a));
    else if (op === OP.GET) this.push1(this.memo.get(Number(a)));
    else if (op === OP.UNICODE) this.push1(a);
    else if (op === OP.STRING) this.push1(a.replace(/^(['"])(.*)\1$/, '$2'));
    else this.push1(undefined);
  }

  private push1(v: string | undefined): void {
    // Only the latest pushes matter (STACK_GLOBAL reads the top two); trim in batches.
    if (this.pushes.length >= 64) this.pushes = this.pushes.slice(-16);
    this.pushes.push(v);
  }

  private remember(k: number): void {
    if (this.memo.size < MEMO_CAP) this.memo.set(k, this.pushes.at(-1));
  }

  private addImport(module: string | undefined, name: string | undefined): void {
    if (module === undefined || name === undefined) return;
    const full = `${module}.${name}`;
    const s = this.scan;
    if (!s.imports.includes(full) && s.imports.length < IMPORTS_CAP) s.imports.push(full);
    if (isDangerousImport(module, name) && !s.dangerousImports.includes(full)) s.dangerousImports.push(full);
  }
}
