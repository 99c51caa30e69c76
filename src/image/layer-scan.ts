// The per-layer scanner: tar entries in, a LayerScan out (entries, whiteouts, digests, probe facts, unknowns).
import { createHash } from 'node:crypto';
import type { ProbeFacts, ProbeFactory } from '../catalog/probe.js';
import type { ViewFile } from '../catalog/types.js';
import type { ContentSink } from './tar-parser.js';
import type { TarHeader } from './tar-header.js';
import { wantsMd5 } from './md5-paths.js';

/** One path a layer adds or replaces: a merged-view file before it knows its layer and probe facts. */
export type LayerEntry = Omit<ViewFile, 'layer' | 'facts'>;

/** Everything mlbuild needs to know about one layer; JSON so it can be cached by diffID. */
export interface LayerScan {
  entries: LayerEntry[];
  /** Paths this layer deletes from the layers below. */
  whiteouts: string[];
  /** Directories whose lower-layer content this layer hides. */
  opaques: string[];
  unknowns: { path?: string; reason: string }[];
  facts: Record<string, ProbeFacts>;
  /** Files left unhashed because an upper layer hid them in the image scanned. */
  unhashed: string[];
  /** False when package digests (md5) were not computed for this layer (the bottom layer of a layered image). */
  md5?: boolean;
}

/** Options of one layer scan. */
export interface ScanOptions {
  /** True when an upper layer hides this path (its content need not be read). */
  hidden?: (path: string) => boolean;
  /** Chooses a probe for a visible file. */
  probeFor?: ProbeFactory;
  /** Compute md5 where a package database could own the path (default true). */
  md5?: boolean;
}

const WH = '.wh.';
const SLOW_PATH = /(^|\/)\.\.?(\/|$)|\/\/|^\//;
const OPAQUE = '.wh..wh..opq';

/** Normalizes a tar entry name to a relative image path; returns a reason string for hostile names. */
export function normalizeEntryPath(raw: string): { path: string } | { hostile: string } {
  if (raw.startsWith('/')) return { hostile: 'absolute path in layer' };
  // Fast path for the common "./a/b" or "a/b/" names without dot segments or doubled slashes.
  const body = raw.startsWith('./') ? raw.slice(2) : raw;
  if (!SLOW_PATH.test(body)) return { path: body.endsWith('/') ? body.slice(0, -1) : body };
  const parts: string[] = [];
  for (const part of raw.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return { hostile: 'path with ".." in layer' };
    parts.push(part);
  }
  return { path: parts.join('/') };
}

/** Collects one layer's entries from tar headers (or a directory walk presenting itself as tar headers). */
export class LayerScanner {
  readonly scan: LayerScan = { entries: [], whiteouts: [], opaques: [], unknowns: [], facts: {}, unhashed: [] };
  private readonly byPath = new Map<string, LayerEntry>();
  /** Set when the tar stream is not a tar at all (bad header checksum). */
  fatal: string | undefined;

  constructor(private readonly opts: ScanOptions = {}) {
    if (opts.md5 === false) this.scan.md5 = false;
  }

  /** Reports a tar problem as an unknown (or remembers a fatal one). */
  problem(reason: string, fatal: boolean, path?: string): void {
    if (fatal) this.fatal = reason;
    this.scan.unknowns.push(path === undefined ? { reason } : { path, reason });
  }

  /** Handles one entry; returns the sink for its content when the content must be read. */
  entry(h: TarHeader): ContentSink | undefined {
    const norm = normalizeEntryPath(h.path);
    if ('hostile' in norm) {
      this.problem(`${norm.hostile}: skipped`, false, h.path);
      return undefined;
    }
    const path = norm.path;
    if (path === '') return undefined;
    const slash = path.lastIndexOf('/');
    const base = path.slice(slash + 1);
    if (base.startsWith(WH)) {
      const dir = slash === -1 ? '' : path.slice(0, slash);
      if (base === OPAQUE) this.scan.opaques.push(dir);
      else this.scan.whiteouts.push(slash === -1 ? base.slice(WH.length) : `${dir}/${base.slice(WH.length)}`);
      return undefined;
    }
    const mode = h.mode & 0o7777;
    switch (h.type) {
      case 'dir':
        return this.add({ path, type: 'dir', size: 0, mode }), undefined;
      case 'symlink':
        return this.add({ path, type: 'symlink', size: 0, mode, linkTarget: h.linkname }), undefined;
      case 'hardlink':
        return this.hardlink(path, h.linkname, mode);
      case 'file':
        return this.file(path, h.size, mode);
      case 'char':
      case 'block':
      case 'fifo':
        this.problem(`${h.type === 'fifo' ? 'fifo' : 'device file'} skipped`, false, path);
        return undefined;
      default:
        this.problem(`unsupported tar entry type: skipped`, false, path);
        return undefined;
    }
  }

  private add(e: LayerEntry): void {
    const prev = this.byPath.get(e.path);
    if (prev) this.scan.entries[this.scan.entries.indexOf(prev)] = e;
    else this.scan.entries.push(e);
    this.byPath.set(e.path, e);
  }

  private hardlink(path: string, linkname: string, mode: number): ContentSink | undefined {
    const norm = normalizeEntryPath(linkname);
    const target = 'path' in norm ? this.byPath.get(norm.path) : undefined;
    if (!target || target.type !== 'file') {
      this.problem(`hard link to missing target ${linkname}: skipped`, false, path);
      return undefined;
    }
    const e: LayerEntry = { path, type: 'file', size: target.size, mode, sha256: target.sha256 };
    if (target.md5 !== undefined) e.md5 = target.md5;
    this.add(e);
    if (target.sha256 === undefined) this.unhashed(path);
    const facts = 'path' in norm ? this.scan.facts[norm.path] : undefined;
    if (facts) this.scan.facts[path] = facts;
    return undefined;
  }

  private unhashed(path: string): void {
    this.scan.unhashed.push(path);
  }

  private file(path: string, size: number, mode: number): ContentSink | undefined {
    const e: LayerEntry = { path, type: 'file', size, mode };
    this.add(e);
    if (this.opts.hidden?.(path)) {
      this.unhashed(path);
      return undefined;
    }
    const hash = createHash('sha256');
    const md5 = this.opts.md5 !== false && wantsMd5(path) ? createHash('md5') : undefined;
    let probe = safeProbe(() => this.opts.probeFor?.(path, size), this, path);
    const scan = this.scan;
    return {
      data(chunk) {
        hash.update(chunk);
        md5?.update(chunk);
        if (probe) {
          const p = probe;
          const more = safeProbe(() => p.update(chunk), undefined, path);
          if (!more) {
            keepFacts(scan, path, endProbe(p, size, path));
            probe = undefined;
          }
        }
      },
      end() {
        e.sha256 = hash.digest('hex');
        if (md5) e.md5 = md5.digest('hex');
        if (probe) keepFacts(scan, path, endProbe(probe, size, path));
      },
    };
  }
}

// Files whose content matched nothing carry no facts (kind "none"): the cached scan stays small.
function keepFacts(scan: LayerScan, path: string, facts: ProbeFacts): void {
  if (facts.kind !== 'none') scan.facts[path] = facts;
}

function safeProbe<T>(fn: () => T, scanner: LayerScanner | undefined, path: string): T | undefined {
  try {
    return fn();
  } catch (err) {
    scanner?.problem(`probe failed: ${(err as Error).message}`, false, path);
    return undefined;
  }
}

function endProbe(p: { end(size: number): ProbeFacts }, size: number, path: string): ProbeFacts {
  try {
    return p.end(size);
  } catch (err) {
    return { kind: 'error', warnings: [`${path}: probe failed: ${(err as Error).message}`] };
  }
}
