// The bounds of one top-level archive (options with defaults, shared counters) and the context walkers carry.
import type { Probe } from '../probe.js';
import type { ArchiveKind, ArchiveOptions, MemberProbeFactory } from './archive-types.js';

/** Options with their defaults applied. */
export type ResolvedOptions = Required<Omit<ArchiveOptions, 'memberProbe'>> & { memberProbe?: MemberProbeFactory };

/** Fills in the defaults of archive options. */
export function resolveOptions(o: ArchiveOptions = {}): ResolvedOptions {
  return {
    memberProbe: o.memberProbe,
    maxDepth: o.maxDepth ?? 3,
    maxTotalBytes: o.maxTotalBytes ?? 8 * 1024 ** 3,
    maxMembers: o.maxMembers ?? 100_000,
    maxRatio: o.maxRatio ?? 1000,
    ratioFloor: o.ratioFloor ?? 64 * 1024 * 1024,
    zipTailCap: o.zipTailCap ?? 16 * 1024 * 1024,
  };
}

/** Counters shared by a top-level archive and everything nested in it; `stopped` names the bound that was passed. */
export class Budget {
  /** Bytes of the top-level archive fed so far. */
  fed = 0;
  inflated = 0;
  members = 0;
  stopped: string | undefined;

  constructor(private readonly o: ResolvedOptions) {}

  /** Counts decompressed bytes; false once a bound is passed. */
  inflate(n: number): boolean {
    this.inflated += n;
    if (this.stopped) return false;
    if (this.inflated > this.o.maxTotalBytes) this.stopped = `more than ${this.o.maxTotalBytes} decompressed bytes`;
    else if (this.inflated > this.o.ratioFloor && this.inflated > this.o.maxRatio * Math.max(1, this.fed)) {
      this.stopped = `compression ratio above ${this.o.maxRatio}:1 (${this.inflated} bytes from ${this.fed}): a decompression bomb`;
    }
    return !this.stopped;
  }

  /** Counts one member; false once there are too many. */
  member(): boolean {
    if (++this.members > this.o.maxMembers && !this.stopped) this.stopped = `more than ${this.o.maxMembers} members`;
    return !this.stopped;
  }
}

/** Opens a nested archive's probe (the archive probe itself, one level deeper). */
export type NestedOpener = (path: string, size: number, kind: ArchiveKind, ctx: ArchiveContext) => Probe;

/** Where a walker is: options, shared budget, nesting level (1 = top) and how to open nested archives. */
export interface ArchiveContext {
  opts: ResolvedOptions;
  budget: Budget;
  depth: number;
  nested: NestedOpener;
}
