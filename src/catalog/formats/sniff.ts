// The format-sniffing probe: it holds the first bytes, detects the format, then hands everything to that format's probe.
import type { Probe, ProbeFacts } from '../probe.js';
import { dataProbe } from './datasets.js';
import { DETECT_HEAD, detectFormat, extensionOf, type FormatName } from './detect.js';
import { ggufProbe } from './gguf.js';
import { hdf5Probe } from './hdf5.js';
import { onnxProbe } from './onnx.js';
import { pickleProbe } from './pickle.js';
import { safetensorsProbe } from './safetensors.js';
import { looksLikeText, textProbe } from './text.js';
import { tfliteProbe } from './tflite.js';
import { savedModelProbe } from './savedmodel.js';
import { zipProbe } from './zip.js';

/** Options of the sniffing probe. */
export interface SniffOptions {
  /** Capture unrecognized text files up to this many bytes (e.g. Hugging Face cache blobs holding README/config). */
  textCap?: number;
}

const TORCH_EXT = new Set(['pt', 'pth', 'ckpt', 'bin']);

/** The probe for a known format, or undefined for formats we only name (json, msgpack, npy). */
export function probeForFormat(format: FormatName, path: string, size: number): Probe | undefined {
  switch (format) {
    case 'safetensors': return safetensorsProbe(size);
    case 'gguf': return ggufProbe(size);
    case 'onnx': return onnxProbe(size);
    case 'pytorch': case 'keras': case 'npz': case 'zip': return zipProbe(path, size);
    case 'pickle': return pickleProbe(size, TORCH_EXT.has(extensionOf(path)) ? 'pytorch-legacy' : 'pickle');
    case 'hdf5': return hdf5Probe();
    case 'tflite': return tfliteProbe();
    case 'savedmodel': return savedModelProbe();
    case 'parquet': case 'arrow': case 'jsonl': case 'csv': case 'tsv': return dataProbe(format);
    default: return undefined;
  }
}

/** A probe that detects the format from the first bytes and the path, then delegates; never throws. */
export class SniffProbe implements Probe {
  private head: Buffer[] = [];
  private have = 0;
  private inner?: Probe;
  private decided = false;
  private format?: FormatName;
  private innerWants = true;

  constructor(
    private readonly path: string,
    private readonly size: number,
    private readonly opts: SniffOptions = {},
  ) {}

  update(chunk: Buffer): boolean {
    if (this.decided) return this.feed(chunk);
    this.head.push(Buffer.from(chunk));
    this.have += chunk.length;
    if (this.have < DETECT_HEAD && this.have < this.size) return true;
    return this.decide();
  }

  end(fileSize: number): ProbeFacts {
    if (!this.decided) this.decide();
    if (this.inner) return this.inner.end(fileSize);
    if (this.format) return { kind: this.format };
    return { kind: 'unknown' };
  }

  private decide(): boolean {
    this.decided = true;
    const buffered = Buffer.concat(this.head);
    this.head = [];
    this.format = detectFormat(this.path, buffered);
    if (this.format) this.inner = probeForFormat(this.format, this.path, this.size);
    else if (this.opts.textCap && this.size <= this.opts.textCap && looksLikeText(buffered)) {
      this.inner = textProbe(this.opts.textCap);
    }
    return this.inner ? this.feed(buffered) : false;
  }

  private feed(chunk: Buffer): boolean {
    if (!this.inner || !this.innerWants) return false;
    if (chunk.length > 0) this.innerWants = this.inner.update(chunk);
    return this.innerWants;
  }
}

/** A sniffing probe for an ML file (model weights or data) at `path`. */
export function mlFileProbe(path: string, size: number, opts?: SniffOptions): Probe {
  return new SniffProbe(path, size, opts);
}

/** Detects and parses the head of any ML file in one call (the pure-function form); never throws. */
export function parseMlFile(path: string, head: Buffer, fileSize: number, opts?: SniffOptions): ProbeFacts {
  const p = mlFileProbe(path, fileSize, opts);
  if (head.length > 0) p.update(head);
  return p.end(fileSize);
}
