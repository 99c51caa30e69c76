// Push-driven parsing of archive streams: a generator states what it needs next (header bytes, a pass-through run of
// member data, data until a decoder says its stream ended, or the tail) and the driver feeds it chunks as they come.

/** What an archive parser asks for next. */
export type PushNeed =
  /** Exactly n bytes, buffered (headers: n is small). */
  | { read: number }
  /** n bytes passed on unbuffered to `to` (its return value says whether it still wants them; they are consumed either way). */
  | { pass: number; to: (chunk: Buffer) => boolean }
  /** Bytes handed to `to` until it uses fewer than it was given (its stream ended); the rest goes back to the parser. */
  | { until: (chunk: Buffer) => number }
  /** The rest of the stream; only its last n bytes are kept, delivered when the stream ends. */
  | { tail: number };

/** An archive parser: yields needs, receives the bytes of each `read` or `tail` (empty after `pass`/`until`). */
export type PushParser = Generator<PushNeed, void, Buffer>;

/** How a pushed parse ended: it returned, the input ended first, it threw, or it was stopped from outside. */
export type PushStatus = 'complete' | 'eof' | 'failed' | 'stopped';

/** The largest `read` a parser may ask for (headers and names; more is a malformed archive). */
export const MAX_PUSH_READ = 1 << 20;

const EMPTY = Buffer.alloc(0);

/** Drives a PushParser over chunks; buffers only `read` requests and the bounded tail. */
export class PushDriver {
  /** Bytes consumed so far. */
  pos = 0;
  /** Whether the tail kept everything since it was asked for. */
  tailComplete = true;
  failure: string | undefined;
  private status: 'running' | PushStatus = 'running';
  private need: PushNeed | undefined;
  private left = 0;
  private parts: Buffer[] = [];
  private have = 0;
  private readonly gen: PushParser;

  constructor(start: (driver: PushDriver) => PushParser) {
    this.gen = start(this);
    this.step(EMPTY);
  }

  /** True while the parser runs (wants more bytes). */
  get running(): boolean {
    return this.status === 'running';
  }

  /** Feeds the next bytes; returns false once the parser needs no more. */
  write(chunk: Buffer): boolean {
    let off = 0;
    while (this.status === 'running' && off < chunk.length && this.need) {
      const need = this.need;
      if ('until' in need) {
        const part = chunk.subarray(off);
        const used = this.guard(() => need.until(part));
        if (used === undefined) break;
        off += used;
        this.pos += used;
        if (used < part.length) this.step(EMPTY);
      } else if ('tail' in need) {
        this.keepTail(chunk.subarray(off), need.tail);
        this.pos += chunk.length - off;
        off = chunk.length;
      } else {
        const take = Math.min(this.left, chunk.length - off);
        const part = chunk.subarray(off, off + take);
        if ('read' in need) this.parts.push(Buffer.from(part));
        else if (this.guard(() => need.to(part)) === undefined) break;
        off += take;
        this.pos += take;
        this.left -= take;
        if (this.left === 0) this.step('read' in need ? this.takeParts() : EMPTY);
      }
    }
    return this.status === 'running';
  }

  /** Ends the input: a waiting `tail` is delivered, anything else ends as `eof`. */
  end(): PushStatus {
    if (this.status === 'running' && this.need && 'tail' in this.need) this.step(this.takeParts());
    if (this.status === 'running') {
      this.status = 'eof';
      this.gen.return();
    }
    return this.status as PushStatus;
  }

  /** Stops the parse from outside (a bound was hit). */
  stop(): void {
    if (this.status !== 'running') return;
    this.status = 'stopped';
    this.gen.return();
  }

  private keepTail(part: Buffer, cap: number): void {
    if (part.length === 0) return;
    this.parts.push(Buffer.from(part.subarray(Math.max(0, part.length - cap))));
    this.have += Math.min(part.length, cap);
    if (part.length > cap) this.tailComplete = false;
    while (this.have - this.parts[0]!.length >= cap) {
      this.have -= this.parts.shift()!.length;
      this.tailComplete = false;
    }
  }

  private takeParts(): Buffer {
    const data = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    this.parts = [];
    this.have = 0;
    return data;
  }

  private guard<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      this.fail(e);
      return undefined;
    }
  }

  private step(data: Buffer): void {
    try {
      const r = this.gen.next(data);
      if (r.done) {
        this.status = 'complete';
        this.need = undefined;
        return;
      }
      const need = r.value;
      if ('read' in need || 'pass' in need) {
        const n = 'read' in need ? need.read : need.pass;
        if (!Number.isSafeInteger(n) || n < 0 || ('read' in need && n > MAX_PUSH_READ)) throw new Error(`impossible length ${n}`);
        this.left = n;
        this.need = need;
        if (n === 0) this.step(EMPTY);
        return;
      }
      if ('tail' in need) this.tailComplete = true;
      this.need = need;
    } catch (e) {
      this.fail(e);
    }
  }

  private fail(e: unknown): void {
    if (this.status !== 'running') return;
    this.status = 'failed';
    this.failure = e instanceof Error ? e.message : String(e);
  }
}
