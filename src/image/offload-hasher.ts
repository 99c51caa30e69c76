// Reads byte ranges of a file into shared memory and hashes them on a worker thread while the caller parses them.
import { Worker } from 'node:worker_threads';
import type { FileHandle } from 'node:fs/promises';
import { fail, type Digest } from '../core/index.js';

// The worker is plain CommonJS run with eval, so it works from src/ (tests) and dist/ alike.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const slots = workerData.buffers.map((b) => Buffer.from(b));
let hash = createHash('sha256');
parentPort.on('message', (m) => {
  if (m.op === 'update') { hash.update(slots[m.slot].subarray(0, m.len)); parentPort.postMessage({ op: 'ack', slot: m.slot }); }
  else if (m.op === 'digest') { parentPort.postMessage({ op: 'digest', hex: hash.digest('hex') }); hash = createHash('sha256'); }
});
`;

const SLOT_SIZE = 4 << 20;
const SLOTS = 6;
const READ_AHEAD = 2;

/** Called with each chunk in order; the chunk's memory is reused once the returned promise (if any) settles. */
export type ChunkHandler = (chunk: Buffer) => void | Promise<void>;

/** One worker thread plus a ring of shared 4 MiB buffers: the second core hashes what the first one parses. */
export class OffloadHasher {
  private readonly worker: Worker;
  private readonly buffers: Buffer[];
  private readonly free: number[] = [];
  private waiters: Array<() => void> = [];
  private digestWaiter: ((hex: string) => void) | undefined;
  private failure: Error | undefined;

  constructor() {
    const shared = Array.from({ length: SLOTS }, () => new SharedArrayBuffer(SLOT_SIZE));
    this.buffers = shared.map((s) => Buffer.from(s));
    for (let i = 0; i < SLOTS; i++) this.free.push(i);
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { buffers: shared } });
    this.worker.unref();
    this.worker.on('message', (m: { op: string; slot?: number; hex?: string }) => {
      if (m.op === 'ack') this.release(m.slot as number);
      else if (m.op === 'digest') this.digestWaiter?.(m.hex as string);
    });
    this.worker.on('error', (err) => {
      this.failure = err;
      this.waiters.forEach((w) => w());
    });
  }

  private release(slot: number): void {
    this.free.push(slot);
    this.waiters.shift()?.();
  }

  private async acquire(): Promise<number> {
    while (this.free.length === 0) {
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return this.free.shift() as number;
  }

  /** Streams bytes [start, start+length) of the file to `onChunk`, returning their sha256 computed on the worker. */
  async hashRange(fh: FileHandle, start: number, length: number, onChunk: ChunkHandler, what: string): Promise<Digest> {
    const end = start + length;
    let next = start;
    const issue = async (): Promise<{ slot: number; n: number }> => {
      const at = next;
      const n = Math.min(SLOT_SIZE, end - at);
      next += n;
      const slot = await this.acquire();
      const { bytesRead } = await fh.read(this.buffers[slot], 0, n, at);
      if (bytesRead !== n) {
        this.release(slot);
        fail('CORRUPT_INPUT', `${what}: file truncated at byte ${at + bytesRead - start} of ${length}`);
      }
      return { slot, n };
    };
    const pending: Array<Promise<{ slot: number; n: number }>> = [];
    while (pending.length < READ_AHEAD && next < end) pending.push(issue());
    try {
      while (pending.length > 0) {
        const { slot, n } = await (pending.shift() as Promise<{ slot: number; n: number }>);
        if (next < end) pending.push(issue());
        this.worker.postMessage({ op: 'update', slot, len: n });
        const maybe = onChunk(this.buffers[slot].subarray(0, n));
        if (maybe) await maybe;
      }
    } catch (err) {
      // Let reads in flight settle, give their slots back and reset the worker's hash before failing.
      for (const r of await Promise.allSettled(pending)) if (r.status === 'fulfilled') this.release(r.value.slot);
      await this.digest();
      throw err;
    }
    return this.digest();
  }

  private digest(): Promise<Digest> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.digestWaiter = (hex) => {
        this.digestWaiter = undefined;
        resolve(`sha256:${hex}`);
      };
      this.worker.postMessage({ op: 'digest' });
    });
  }

  /** Stops the worker thread. */
  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
