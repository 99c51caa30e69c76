// Streaming parse driver: a parser generator asks for bytes (read n / skip n) and a probe feeds it chunks as they come.
import type { Probe, ProbeFacts } from '../probe.js';

/** A request from a streaming parser: `read` hands back exactly n bytes, `skip` discards n bytes unbuffered. */
export type Need = { read: number } | { skip: number };

/** A streaming parser: yields needs and receives the bytes of each `read` (an empty Buffer after a `skip`). */
export type StreamParser = Generator<Need, void, Buffer>;

/** What the parser can see of the stream: bytes consumed so far and the file's size. */
export interface Cursor {
  pos: number;
  size: number;
}

/**
 * How parsing ended: `complete` (the parser returned), `eof` (the file ended while it wanted more), `cut` (fewer
 * bytes than the file size were fed, e.g. a capped head), or `failed` (the parser threw or asked for nonsense).
 */
export type EndStatus = 'complete' | 'eof' | 'cut' | 'failed';

/** The largest single `read` a parser may ask for; bigger requests end parsing as `failed`. */
export const MAX_READ = 128 * 1024 * 1024;

const EMPTY = Buffer.alloc(0);

/** A Probe that drives a StreamParser over the chunks it is fed, buffering only what the parser reads. */
export class StreamProbe implements Probe {
  readonly cursor: Cursor;
  private readonly gen: StreamParser;
  private reading = false;
  private remaining = 0;
  private parts: Buffer[] = [];
  private status: 'running' | 'complete' | 'failed' = 'running';
  private failure?: string;
  private fed = 0;

  constructor(
    size: number,
    start: (cursor: Cursor) => StreamParser,
    private readonly finish: (cursor: Cursor, status: EndStatus, failure?: string) => ProbeFacts,
  ) {
    this.cursor = { pos: 0, size };
    this.gen = start(this.cursor);
    this.step(EMPTY);
  }

  update(chunk: Buffer): boolean {
    this.fed += chunk.length;
    let off = 0;
    while (this.status === 'running' && off < chunk.length) {
      const take = Math.min(this.remaining, chunk.length - off);
      // Copy reads: the chunk's memory is reused by the reader once this call returns.
      if (this.reading) this.parts.push(Buffer.from(chunk.subarray(off, off + take)));
      off += take;
      this.remaining -= take;
      this.cursor.pos += take;
      if (this.remaining === 0) this.deliver();
    }
    return this.status === 'running';
  }

  end(fileSize: number): ProbeFacts {
    this.cursor.size = fileSize;
    let status: EndStatus;
    if (this.status === 'complete') status = 'complete';
    else if (this.status === 'failed') status = 'failed';
    else status = this.fed >= fileSize ? 'eof' : 'cut';
    try {
      return this.finish(this.cursor, status, this.failure);
    } catch (e) {
      return { kind: 'unknown', warnings: [`internal error summarizing facts: ${String(e)}`] };
    }
  }

  private deliver(): void {
    const data = this.reading ? (this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts)) : EMPTY;
    this.parts = [];
    this.step(data);
  }

  private step(data: Buffer): void {
    try {
      let r = this.gen.next(data);
      // Zero-length needs are answered at once.
      while (!r.done) {
        const need = r.value;
        const n = 'read' in need ? need.read : need.skip;
        if (!Number.isSafeInteger(n) || n < 0 || ('read' in need && n > MAX_READ)) {
          this.fail(`parser asked for an impossible length ${n}`);
          return;
        }
        if (n > 0) {
          this.reading = 'read' in need;
          this.remaining = n;
          return;
        }
        r = this.gen.next(EMPTY);
      }
      this.status = 'complete';
    } catch (e) {
      this.fail(e instanceof Error ? e.message : String(e));
    }
  }

  private fail(msg: string): void {
    this.status = 'failed';
    this.failure = msg;
  }
}

/** Runs a probe over a whole head buffer and returns its facts (the pure-function form of every format probe). */
export function runProbe(probe: Probe, head: Buffer, fileSize: number): ProbeFacts {
  if (head.length > 0) probe.update(head);
  return probe.end(fileSize);
}

/** Reads an unsigned LEB128 varint a byte at a time; returns undefined when longer than 10 bytes. */
export function* readVarint(first?: number): Generator<Need, number | undefined, Buffer> {
  let result = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    const b = i === 0 && first !== undefined ? first : (yield { read: 1 })[0]!;
    result += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) return result;
    mul *= 128;
  }
  return undefined;
}

/** Reads a little-endian u64 as a number (precision is lost above 2^53, which callers treat as "too big"). */
export function u64(buf: Buffer, off = 0): number {
  return Number(buf.readBigUInt64LE(off));
}
