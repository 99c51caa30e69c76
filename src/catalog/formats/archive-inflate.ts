// A synchronous streaming raw-deflate decoder on node:zlib's native handle, so a synchronous Probe can inflate as bytes flow.
import { createInflateRaw, type InflateRaw } from 'node:zlib';

const OUT_SIZE = 256 * 1024;
const Z_NO_FLUSH = 0;
const Z_FINISH = 4;
const EMPTY = Buffer.alloc(0);

// Node's zlib streams keep a native handle with a synchronous write (the one zlib's *Sync functions use) and a
// two-slot state array [availOut, availIn]; an error is stored under the kError symbol and the handle is closed.
interface NativeHandle {
  writeSync(flush: number, input: Buffer, inOff: number, inLen: number, out: Buffer, outOff: number, outLen: number): void;
}
interface Internals {
  _handle: NativeHandle | null;
  _writeState: Uint32Array;
}

/** True when this Node's zlib offers the synchronous handle the inflater needs (checked once). */
export const syncInflateAvailable: boolean = (() => {
  try {
    const z = createInflateRaw() as unknown as Internals & InflateRaw;
    const ok = typeof z._handle?.writeSync === 'function' && z._writeState instanceof Uint32Array;
    z.close();
    return ok;
  } catch {
    return false;
  }
})();

/** Inflates one raw deflate stream fed in chunks; finds the stream's end itself (zip data descriptors, gzip members). */
export class SyncInflater {
  /** True once the deflate stream reached its final block. */
  ended = false;
  /** Set when the data is not valid deflate; nothing more is accepted. */
  error: string | undefined;
  /** Set once onData asked to stop; nothing more is inflated. */
  stopped = false;
  /** Compressed bytes consumed so far. */
  consumed = 0;
  private readonly z: Internals & InflateRaw;
  private readonly kError: symbol | undefined;
  private readonly out = Buffer.allocUnsafe(OUT_SIZE);

  constructor() {
    this.z = createInflateRaw() as unknown as Internals & InflateRaw;
    this.z.on('error', () => {});
    this.kError = Object.getOwnPropertySymbols(this.z).find((s) => s.description === 'kError');
  }

  /**
   * Feeds compressed bytes; `onData` gets each piece of output (memory reused after it returns) and may return false
   * to stop. Returns how many input bytes were used: fewer than given means the stream ended, failed or was stopped.
   */
  write(chunk: Buffer, onData: (out: Buffer) => boolean): number {
    const handle = this.z._handle;
    if (this.ended || this.stopped || this.error || !handle) return 0;
    const state = this.z._writeState;
    let off = 0;
    for (;;) {
      handle.writeSync(Z_NO_FLUSH, chunk, off, chunk.length - off, this.out, 0, OUT_SIZE);
      const err = this.kError ? (this.z as unknown as Record<symbol, Error | undefined>)[this.kError] : undefined;
      if (err || !this.z._handle) {
        this.error = err?.message ?? 'inflate failed';
        return off;
      }
      const availOut = state[0]!;
      const availIn = state[1]!;
      const used = chunk.length - off - availIn;
      const produced = OUT_SIZE - availOut;
      off += used;
      this.consumed += used;
      if (produced > 0 && !onData(this.out.subarray(0, produced))) {
        this.stopped = true;
        return off;
      }
      if (availOut === 0) continue; // output buffer full: more may be pending
      // Output room left but input unused: zlib reached the end of the stream.
      if (availIn > 0 || (used === 0 && produced === 0 && chunk.length > 0)) this.ended = true;
      return off;
    }
  }

  /** Says whether the stream is complete once all its input was given (its end may coincide with the input's). */
  finish(): boolean {
    const handle = this.z._handle;
    if (this.ended || this.error || this.stopped || !handle) return this.ended;
    // With Z_FINISH and no input, zlib reports an error unless the stream already reached its end.
    handle.writeSync(Z_FINISH, EMPTY, 0, 0, this.out, 0, OUT_SIZE);
    const err = this.kError ? (this.z as unknown as Record<symbol, Error | undefined>)[this.kError] : undefined;
    this.ended = !err && this.z._handle !== null && this.z._writeState[0] === OUT_SIZE;
    return this.ended;
  }

  /** Releases the native stream. */
  close(): void {
    this.z.close();
  }
}
