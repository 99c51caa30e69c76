// Content identification of any file: magic bytes decide the format whatever the file is called; names only help
// when the bytes say nothing. Every regular file of an image passes through this probe while its layer streams.
import type { Probe, ProbeFacts } from '../probe.js';
import { archiveKindOf, archiveProbe } from './archive.js';
import { formatByMagic, detectFormat } from './detect.js';
import { npyProbe } from './npy.js';
import { pickleFacts } from './pickle.js';
import { PickleScanner } from './pickle-scanner.js';
import { probeForFormat } from './sniff.js';

/** Bytes of head the content probe looks at before deciding (tar's ustar magic sits at offset 257). */
export const CONTENT_HEAD = 512;

/** Facts kind of a file whose content matched nothing: the layer scanner keeps no facts for it. */
export const NO_FACTS = 'none';

// First opcodes a protocol 0/1 pickle (no PROTO header) can start with: MARK, GLOBAL, EMPTY_LIST/DICT/TUPLE, NONE,
// INT, STRING, UNICODE, LONG, FLOAT, BININT*, SHORT_BINSTRING, BINUNICODE, BINFLOAT, INST.
const PICKLE01_START = new Set([...'(c]})NISVLFJKMUXGTi'].map((c) => c.charCodeAt(0)));
/** Protocol 0/1 pickles have no magic: only a complete, valid opcode stream ending exactly at EOF counts. */
const PICKLE01_CAP = 256 * 1024 * 1024;

/** A probe that finds protocol 0/1 pickles by walking opcodes; gives up at the first byte that is not one. */
class Pickle01Probe implements Probe {
  private readonly scanner = new PickleScanner();

  update(chunk: Buffer): boolean {
    return this.scanner.push(chunk);
  }

  end(fileSize: number): ProbeFacts {
    const scan = this.scanner.finish();
    const whole = scan.pickles === 1 && !scan.error && this.scanner.endOffset === fileSize;
    // Python's unpickler runs opcodes as it reads them: a stream that imports code-running callables before the
    // scan gives up (an over-long argument, a cut) is a pickle all the same. No text file opens that way.
    if (!whole && scan.dangerousImports.length === 0) return { kind: NO_FACTS };
    return pickleFacts({ ...scan, protocol: scan.protocol ?? 0 });
  }
}

/** The probe for content announced by magic bytes, or undefined when the bytes announce nothing mlbuild parses. */
function probeByContent(path: string, size: number, head: Buffer, archives: boolean): Probe | undefined {
  const magic = formatByMagic(head);
  if (magic === 'npy') return npyProbe();
  const format = magic ? (detectFormat(path, head) ?? magic) : undefined;
  // Model zips (PyTorch, Keras, .npz) keep their model reader; any other archive is opened and its members sniffed.
  if (format && format !== 'zip') return probeForFormat(format, path, size);
  const archive = archiveKindOf(head);
  // Git object stores are not unpacked (every loose object is a zlib stream); .git/lfs objects are content as usual.
  if (archive === 'zlib' && /(?:^|\/)\.git\/objects\//.test(path)) return undefined;
  if (archive) return archives ? archiveProbe(path, size, { memberProbe: memberProbe }) : archiveStub(archive);
  return format ? probeForFormat(format, path, size) : undefined;
}

/** Members of an archive are identified by content too (nested archives are opened by the archive probe itself). */
function memberProbe(path: string, size: number): Probe {
  return new ContentProbe(path, size, () => undefined, false);
}

/** True when the head could open a protocol 0/1 pickle (which has no magic). */
function maybePickle01(size: number, head: Buffer): boolean {
  return (size <= PICKLE01_CAP || size === Number.MAX_SAFE_INTEGER) && size >= 2 && PICKLE01_START.has(head[0]!);
}

/** Runs a protocol 0/1 pickle check beside another probe: a whole pickle wins, else the other probe's facts. */
class EitherProbe implements Probe {
  private aWants = true;
  private bWants = true;

  constructor(
    private readonly a: Probe,
    private readonly b: Probe,
  ) {}

  update(chunk: Buffer): boolean {
    if (this.aWants) this.aWants = this.a.update(chunk);
    if (this.bWants) this.bWants = this.b.update(chunk);
    return this.aWants || this.bWants;
  }

  end(fileSize: number): ProbeFacts {
    const a = this.a.end(fileSize);
    return a.kind !== NO_FACTS ? a : this.b.end(fileSize);
  }
}

/** An archive past the nesting the archive probe opens: reported as such, never silently passed. */
function archiveStub(archive: string): Probe {
  return { update: () => false, end: () => ({ kind: 'archive', archive, members: [], memberCount: 0, unopened: 'nested too deep' }) };
}

/**
 * The content probe: holds the head, then lets the content decide. Magic bytes win over the path rule's probe, so a
 * README that holds safetensors bytes is read as safetensors; without magic, the path rule's probe (if any) runs.
 */
export class ContentProbe implements Probe {
  /** Copies of the chunks seen before deciding (less than CONTENT_HEAD bytes in all). */
  private prior: Buffer[] = [];
  private have = 0;
  private inner?: Probe;
  private innerWants = true;
  private decided = false;

  constructor(
    private readonly path: string,
    private readonly size: number,
    private readonly byPath: () => Probe | undefined,
    private readonly archives = true,
  ) {}

  update(chunk: Buffer): boolean {
    if (this.decided) return this.feed(chunk);
    this.have += chunk.length;
    if (this.have < CONTENT_HEAD && this.have < this.size) {
      this.prior.push(Buffer.from(chunk));
      return true;
    }
    const head = this.prior.length === 0 ? chunk.subarray(0, CONTENT_HEAD) : Buffer.concat([...this.prior, chunk]).subarray(0, CONTENT_HEAD);
    const prior = this.prior;
    this.prior = [];
    this.decide(head);
    for (const p of prior) if (!this.feed(p)) return false;
    return this.feed(chunk);
  }

  end(fileSize: number): ProbeFacts {
    if (!this.decided) {
      const prior = this.prior;
      this.prior = [];
      this.decide(Buffer.concat(prior));
      for (const p of prior) if (!this.feed(p)) break;
    }
    return this.inner ? this.inner.end(fileSize) : { kind: NO_FACTS };
  }

  private decide(head: Buffer): void {
    this.decided = true;
    const inner = probeByContent(this.path, this.size, head, this.archives);
    if (inner) this.inner = inner;
    else {
      const byPath = this.byPath();
      const p01 = maybePickle01(this.size, head) ? new Pickle01Probe() : undefined;
      this.inner = p01 && byPath ? new EitherProbe(p01, byPath) : (p01 ?? byPath);
    }
  }

  private feed(chunk: Buffer): boolean {
    if (!this.inner || !this.innerWants) return false;
    if (chunk.length > 0) this.innerWants = this.inner.update(chunk);
    return this.innerWants;
  }
}
