// Layer decompression chosen by magic bytes: none, gzip (zlib) or zstd (the zstd binary); output goes to a callback.
import { createGunzip } from 'node:zlib';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { fail, describeError } from '../core/index.js';

/** The compressions a layer may use. */
export type Compression = 'none' | 'gzip' | 'zstd';

/** Names the compression of a blob from its first bytes; throws UNSUPPORTED for formats we don't read. */
export function detectCompression(head: Buffer, what: string): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  if (head.length >= 6 && head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) {
    fail('UNSUPPORTED', `${what}: unknown compression (xz)`);
  }
  if (head.length >= 3 && head.toString('latin1', 0, 3) === 'BZh') fail('UNSUPPORTED', `${what}: unknown compression (bzip2)`);
  return 'none';
}

/** Decodes a layer blob fed in chunks; `onData` receives the uncompressed tar bytes, synchronously for plain tars. */
export class LayerDecoder {
  compression: Compression | undefined;
  private head: Buffer[] = [];
  private headLen = 0;
  private sink: Writable | undefined;
  private error: Error | undefined;
  private readonly done: Array<Promise<unknown>> = [];

  constructor(
    private readonly onData: (chunk: Buffer) => void,
    private readonly what: string,
  ) {}

  /** Feeds raw blob bytes; the chunk may be reused by the caller once the returned promise settles. */
  write(chunk: Buffer): void | Promise<void> {
    if (this.compression === undefined) {
      this.head.push(Buffer.from(chunk));
      this.headLen += chunk.length;
      if (this.headLen < 8) return;
      return this.start(Buffer.concat(this.head));
    }
    return this.feed(chunk, true);
  }

  private start(head: Buffer): void | Promise<void> {
    this.head = [];
    this.compression = detectCompression(head, this.what);
    if (this.compression === 'gzip') {
      const gunzip = createGunzip({ chunkSize: 1 << 20 });
      gunzip.on('data', (b: Buffer) => this.onData(b));
      this.attach(gunzip, gunzip);
    } else if (this.compression === 'zstd') {
      const child = spawn('zstd', ['-dcq'], { stdio: ['pipe', 'pipe', 'ignore'] });
      child.on('error', (err) => (this.error ??= new Error(`zstd not available: ${describeError(err)}`)));
      child.stdout.on('data', (b: Buffer) => this.onData(b));
      child.stdin.on('error', () => {});
      this.done.push(once(child, 'close').then(([code]) => {
        if (code !== 0) this.error ??= new Error(`zstd exited with ${code}`);
      }));
      this.sink = child.stdin;
    }
    return this.feed(head, false);
  }

  private attach(stream: Writable, readable: NodeJS.ReadableStream): void {
    stream.on('error', (err) => (this.error ??= err));
    this.done.push(new Promise<void>((resolve) => readable.on('end', resolve).on('error', () => resolve())));
    this.sink = stream;
  }

  private feed(chunk: Buffer, copy: boolean): void | Promise<void> {
    if (!this.sink) return this.onData(chunk);
    this.check();
    if (!this.sink.write(copy ? Buffer.from(chunk) : chunk)) {
      return new Promise<void>((resolve) => {
        const s = this.sink as Writable;
        const onDrain = () => (s.off('error', onDrain), resolve());
        s.once('drain', onDrain).once('error', onDrain);
      }).then(() => this.check());
    }
  }

  private check(): void {
    if (this.error) fail('CORRUPT_INPUT', `${this.what}: corrupt ${this.compression} data: ${describeError(this.error)}`);
  }

  /** Ends the input and waits for the decompressor to flush. */
  async end(): Promise<void> {
    if (this.compression === undefined) {
      const head = Buffer.concat(this.head);
      if (head.length === 0) fail('CORRUPT_INPUT', `${this.what}: empty layer blob`);
      const r = this.start(head);
      if (r) await r;
    }
    this.sink?.end();
    await Promise.all(this.done);
    this.check();
  }
}
