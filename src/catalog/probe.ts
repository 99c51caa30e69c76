// Probes: streaming analyzers of one file's bytes, run while a layer streams past; their facts are cached per layer.

/** JSON-serializable facts a probe found in one file (cached by layer diffID, so no Buffers). */
export interface ProbeFacts {
  /** Which probe produced these facts, e.g. "safetensors", "gguf", "text". */
  kind: string;
  /** Problems found while parsing (malformed header…); the file still appears, with what could be read. */
  warnings?: string[];
  [key: string]: unknown;
}

/** A streaming analyzer fed the file's bytes in order; it may stop early by returning false from update. */
export interface Probe {
  /** Feeds the next bytes; returns false when the probe needs no more. */
  update(chunk: Buffer): boolean;
  /** Called once at the end (or after update returned false) with the file's full size. */
  end(fileSize: number): ProbeFacts;
}

/** Chooses a probe for a file by its image path (no leading slash) and size, or none. */
export type ProbeFactory = (path: string, size: number) => Probe | undefined;

/** A probe that keeps the first `limit` bytes and hands them to `parse` at the end. */
export class HeadProbe implements Probe {
  private readonly parts: Buffer[] = [];
  private have = 0;

  constructor(
    private readonly limit: number,
    private readonly parse: (head: Buffer, fileSize: number) => ProbeFacts,
  ) {}

  update(chunk: Buffer): boolean {
    const room = this.limit - this.have;
    if (room <= 0) return false;
    // Copy: the chunk's memory is reused by the reader once this call returns.
    const part = Buffer.from(chunk.subarray(0, room));
    this.parts.push(part);
    this.have += part.length;
    return this.have < this.limit;
  }

  end(fileSize: number): ProbeFacts {
    return this.parse(Buffer.concat(this.parts, this.have), fileSize);
  }
}
