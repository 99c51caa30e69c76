// Test helper: an in-memory FileView whose facts come from running catalogers' probes over content in random chunks.
import type { Cataloger, CatalogResult, FileView, ProbeRule, ViewFile } from '../../../../src/catalog/types.js';

/** One entry to put in the view; parent folders are added automatically. */
export interface Entry {
  path: string;
  content?: string | Buffer;
  layer?: number;
  /** Makes the entry a symlink to this target (relative to its folder, or absolute inside the image). */
  link?: string;
  dir?: boolean;
}

// A small deterministic PRNG so chunk sizes vary but failures reproduce.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Runs the first matching rule's probe over the bytes, fed in random chunk sizes, and returns its JSON facts. */
function probe(rules: ProbeRule[], path: string, bytes: Buffer, next: () => number): ViewFile['facts'] {
  const rule = rules.find((r) => r.match(path, bytes.length));
  if (rule === undefined) return undefined;
  const p = rule.create(path, bytes.length);
  for (let at = 0; at < bytes.length; ) {
    const n = 1 + Math.floor(next() * 4096);
    if (!p.update(bytes.subarray(at, at + n))) break;
    at += n;
  }
  return JSON.parse(JSON.stringify(p.end(bytes.length))) as ViewFile['facts'];
}

/** Builds a merged view of the entries, with facts from the catalogers' probe rules. */
export function memoryView(entries: Entry[], catalogers: Cataloger[], seed = 1): FileView {
  const rules = catalogers.flatMap((c) => c.probes);
  const next = rng(seed);
  const map = new Map<string, ViewFile>();
  const addDirs = (path: string, layer: number): void => {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!map.has(dir)) map.set(dir, { path: dir, type: 'dir', size: 0, mode: 0o755, layer });
    }
  };
  for (const e of entries) {
    const layer = e.layer ?? 0;
    addDirs(e.path, layer);
    if (e.link !== undefined) {
      map.set(e.path, { path: e.path, type: 'symlink', size: 0, mode: 0o777, layer, linkTarget: e.link });
    } else if (e.dir === true) {
      map.set(e.path, { path: e.path, type: 'dir', size: 0, mode: 0o755, layer });
    } else {
      const bytes = Buffer.from(e.content ?? '');
      const facts = probe(rules, e.path, bytes, next);
      map.set(e.path, { path: e.path, type: 'file', size: bytes.length, mode: 0o644, layer, ...(facts ? { facts } : {}) });
    }
  }
  const sorted = [...map.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const resolve = (path: string): ViewFile | undefined => {
    let todo = path.split('/').filter((s) => s !== '' && s !== '.');
    const done: string[] = [];
    for (let hops = 0; todo.length > 0; ) {
      const part = todo.shift() as string;
      if (part === '..') {
        if (done.length === 0) return undefined;
        done.pop();
        continue;
      }
      done.push(part);
      const f = map.get(done.join('/'));
      if (f === undefined) return undefined;
      if (f.type === 'symlink') {
        if (++hops > 40) return undefined;
        const target = f.linkTarget ?? '';
        done.pop();
        if (target.startsWith('/')) done.length = 0;
        todo = [...target.split('/').filter((s) => s !== '' && s !== '.'), ...todo];
      }
    }
    return map.get(done.join('/'));
  };

  return {
    get: (path) => map.get(path),
    resolve,
    children: (dir) => sorted.filter((f) => f.path.startsWith(dir === '' ? '' : `${dir}/`) && !f.path.slice(dir === '' ? 0 : dir.length + 1).includes('/')),
    all: () => sorted,
  };
}

/** Runs catalogers in order over a view and returns what they found. */
export function runCatalogers(view: FileView, catalogers: Cataloger[]): CatalogResult {
  const out: CatalogResult = { packages: [], models: [], datasets: [], unknowns: [] };
  for (const c of catalogers) c.catalog(view, out);
  return out;
}
