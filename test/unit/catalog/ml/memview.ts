// An in-memory FileView for cataloger tests: files get sha256 and probe facts the way the image scanner would make them.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { FileView, ProbeRule, ViewFile } from '../../../../src/catalog/types.js';
import { feed } from '../formats/fixtures.js';

/** A Map-backed merged view; regular files are probed with the first matching rule, in random chunk sizes. */
export class MemView implements FileView {
  private readonly entries = new Map<string, ViewFile>();
  private seed = 1;

  constructor(private readonly rules: ProbeRule[]) {}

  /** Adds a regular file (and its parent folders). */
  file(path: string, content: Buffer | string, layer = 0): this {
    const data = typeof content === 'string' ? Buffer.from(content) : content;
    this.dirs(path, layer);
    const f: ViewFile = { path, type: 'file', size: data.length, mode: 0o644, layer, sha256: createHash('sha256').update(data).digest('hex') };
    const rule = this.rules.find((r) => r.match(path, data.length));
    if (rule) f.facts = feed(rule.create(path, data.length), data, this.seed++, 4096);
    this.entries.set(path, f);
    return this;
  }

  /** Adds a symlink with a raw target (relative or absolute). */
  link(path: string, target: string, layer = 0): this {
    this.dirs(path, layer);
    this.entries.set(path, { path, type: 'symlink', size: target.length, mode: 0o777, linkTarget: target, layer });
    return this;
  }

  get(path: string): ViewFile | undefined {
    return this.entries.get(path);
  }

  resolve(path: string): ViewFile | undefined {
    let p = path;
    for (let hops = 0; hops < 40; hops++) {
      const e = this.entries.get(p);
      if (!e || e.type !== 'symlink') return e;
      const t = e.linkTarget!;
      const joined = t.startsWith('/') ? t : posix.join('/', posix.dirname(p), t);
      // Escapes: a relative target that climbs above the root.
      if (!t.startsWith('/') && posix.normalize(`${posix.dirname(p)}/${t}`).startsWith('..')) return undefined;
      p = posix.normalize(joined).slice(1);
    }
    return undefined;
  }

  children(dir: string): ViewFile[] {
    const prefix = dir === '' ? '' : `${dir}/`;
    return [...this.entries.values()]
      .filter((e) => e.path.startsWith(prefix) && e.path !== dir && !e.path.slice(prefix.length).includes('/'))
      .sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  all(): Iterable<ViewFile> {
    return [...this.entries.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  private dirs(path: string, layer: number): void {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const d = parts.slice(0, i).join('/');
      if (!this.entries.has(d)) this.entries.set(d, { path: d, type: 'dir', size: 0, mode: 0o755, layer });
    }
  }
}
