// Reads one layer's bytes once: blob digest, decompression, diffID and the tar scan in a single pass.
import { createHash } from 'node:crypto';
import { fail, type Digest } from '../core/index.js';
import { LayerDecoder, detectCompression } from './decode.js';
import { LayerScanner, type LayerScan, type ScanOptions } from './layer-scan.js';
import type { OffloadHasher } from './offload-hasher.js';
import { openForRead } from './tar-index.js';
import { TarParser } from './tar-parser.js';
import type { Layer } from './types.js';
import { walkLayerDir } from './sources/overlay-walk.js';

/** What reading a layer produced. */
export interface LayerRead {
  scan: LayerScan;
  bytes: number;
}

/** A tar scanner plus the running diffID of the uncompressed bytes it sees. */
export class TarScan {
  readonly scanner: LayerScanner;
  readonly parser: TarParser;
  private readonly diff = createHash('sha256');
  bytes = 0;

  constructor(
    opts: ScanOptions,
    private readonly hashDiff: boolean,
    private readonly onBytes?: (n: number) => void,
  ) {
    this.scanner = new LayerScanner(opts);
    this.parser = new TarParser(this.scanner);
  }

  /** Feeds uncompressed tar bytes. */
  write = (chunk: Buffer): void => {
    if (this.hashDiff) this.diff.update(chunk);
    this.bytes += chunk.length;
    this.onBytes?.(chunk.length);
    if (!this.parser.done) this.parser.write(chunk);
  };

  /** Ends the stream, returning the diffID of what was seen (when hashed here). */
  finish(): Digest | undefined {
    this.parser.end();
    return this.hashDiff ? `sha256:${this.diff.digest('hex')}` : undefined;
  }
}

/** Checks the diffID and the tar's sanity after a layer was read. */
export function checkLayer(layer: Layer, diffID: Digest | undefined, ts: TarScan, what: string): void {
  if (diffID !== undefined && diffID !== layer.diffID) {
    fail('DIGEST_MISMATCH', `${what}: content does not match its diffID (got ${diffID}, want ${layer.diffID})`);
  }
  if (ts.scanner.fatal) fail('CORRUPT_INPUT', `${what}: not a valid tar: ${ts.scanner.fatal}`);
}

/** Reads a layer from its source (file range, stream or overlay2 dir) and returns its scan; checks digests; `onBytes` sees tar bytes as they pass. */
export async function readLayer(layer: Layer, opts: ScanOptions, hasher: OffloadHasher, onBytes?: (n: number) => void): Promise<LayerRead> {
  const what = `layer ${layer.index} (${layer.diffID.slice(0, 19)})`;
  const src = layer.bytes;
  if (src.kind === 'dir') {
    const scanner = new LayerScanner(opts);
    const opaque = src.opaque();
    opaque.catch(() => undefined); // awaited by the walk; a walk that fails first must not leave it unhandled
    const bytes = await walkLayerDir(src.dir, scanner, what, opaque, onBytes);
    return { scan: scanner.scan, bytes };
  }
  if (src.kind === 'export') fail('UNSUPPORTED', `${what}: only readable through the image export stream`);
  if (src.kind === 'file') {
    const fh = await openForRead(src.path, what);
    try {
      // Peek at the magic: a plain tar's diffID is its blob digest (hashed on the worker); a compressed one is hashed here.
      const head = Buffer.alloc(Math.min(8, src.size));
      await fh.read(head, 0, head.length, src.offset);
      const compressed = detectCompression(head, what) !== 'none';
      const ts = new TarScan(opts, compressed, onBytes);
      const decoder = new LayerDecoder(ts.write, what);
      const raw = await hasher.hashRange(fh, src.offset, src.size, (c) => decoder.write(c), what);
      await decoder.end();
      const wantRaw = layer.digest ?? (compressed ? undefined : layer.diffID);
      if (wantRaw && raw !== wantRaw) fail('DIGEST_MISMATCH', `${what}: blob does not match its digest (got ${raw}, want ${wantRaw})`);
      checkLayer(layer, ts.finish() ?? raw, ts, what);
      return { scan: ts.scanner.scan, bytes: src.size };
    } finally {
      await fh.close();
    }
  }
  // A stream (registry blob): its blob digest is checked by the stream itself; the diffID is hashed here.
  const ts = new TarScan(opts, true, onBytes);
  const decoder = new LayerDecoder(ts.write, what);
  for await (const chunk of await src.open()) {
    const r = decoder.write(chunk);
    if (r) await r;
  }
  await decoder.end();
  checkLayer(layer, ts.finish(), ts, what);
  return { scan: ts.scanner.scan, bytes: ts.bytes };
}
