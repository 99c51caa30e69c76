// Applies layer scans bottom-up into one merged file tree (whiteouts and opaque dirs honoured) that catalogers read.
import type { FileView, ViewFile } from '../catalog/types.js';
import type { LayerScan } from './layer-scan.js';

const MAX_LINKS = 40;

/** The merged file tree of an image: a FileView with symlink resolution confined to the image root. */
export class MergedTree implements FileView {
  private readonly files = new Map<string, ViewFile>();
  private readonly kids = new Map<string, Set<string>>();
  private sorted: ViewFile[] | undefined;

  /** Builds the tree from scans ordered bottom (index 0) to top. */
  static fromScans(scans: LayerScan[]): MergedTree {
    const tree = new MergedTree();
    scans.forEach((scan, layer) => tree.apply(scan, layer));
    return tree;
  }

  private apply(scan: LayerScan, layer: number): void {
    for (const dir of scan.opaques) for (const child of [...(this.kids.get(dir) ?? [])]) this.remove(join(dir, child));
    for (const w of scan.whiteouts) this.remove(w);
    for (const e of scan.entries) {
      const prev = this.files.get(e.path);
      if (prev && !(prev.type === 'dir' && e.type === 'dir')) this.remove(e.path);
      this.ensureParents(e.path, layer);
      const file: ViewFile = { path: e.path, type: e.type, size: e.size, mode: e.mode, layer };
      if (e.sha256 !== undefined) file.sha256 = e.sha256;
      if (e.md5 !== undefined) file.md5 = e.md5;
      if (e.linkTarget !== undefined) file.linkTarget = e.linkTarget;
      const facts = scan.facts[e.path];
      if (facts) file.facts = facts;
      this.files.set(e.path, file);
      this.link(e.path);
    }
    this.sorted = undefined;
  }

  private ensureParents(path: string, layer: number): void {
    // The direct parent being a directory means every ancestor is one too (the common case: nothing to do).
    const slash = path.lastIndexOf('/');
    if (slash === -1 || this.files.get(path.slice(0, slash))?.type === 'dir') return;
    for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) {
      const dir = path.slice(0, i);
      const have = this.files.get(dir);
      if (have?.type === 'dir') continue;
      if (have) this.remove(dir);
      this.files.set(dir, { path: dir, type: 'dir', size: 0, mode: 0o755, layer });
      this.link(dir);
    }
  }

  private link(path: string): void {
    const slash = path.lastIndexOf('/');
    const parent = slash === -1 ? '' : path.slice(0, slash);
    let set = this.kids.get(parent);
    if (!set) this.kids.set(parent, (set = new Set()));
    set.add(path.slice(slash + 1));
  }

  private remove(path: string): void {
    if (!this.files.delete(path)) return;
    const slash = path.lastIndexOf('/');
    this.kids.get(slash === -1 ? '' : path.slice(0, slash))?.delete(path.slice(slash + 1));
    const children = this.kids.get(path);
    if (children) {
      this.kids.delete(path);
      for (const c of children) this.remove(join(path, c));
    }
  }

  get(path: string): ViewFile | undefined {
    return this.files.get(path);
  }

  resolve(path: string): ViewFile | undefined {
    const r = this.walk(path);
    return r ? this.files.get(r) : undefined;
  }

  /** Resolves a path to its final location, following symlinks (absolute ones from the image root); undefined on escape or loop. */
  resolvePath(path: string): string | undefined {
    return this.walk(path);
  }

  private walk(path: string): string | undefined {
    let pending = path.split('/').filter((p) => p !== '' && p !== '.');
    const done: string[] = [];
    let hops = 0;
    while (pending.length > 0) {
      const part = pending.shift() as string;
      if (part === '..') {
        if (done.length === 0) return undefined; // would leave the image root
        done.pop();
        continue;
      }
      done.push(part);
      const f = this.files.get(done.join('/'));
      if (!f) return undefined;
      if (f.type === 'symlink') {
        if (++hops > MAX_LINKS) return undefined; // loop
        const target = f.linkTarget ?? '';
        done.pop();
        if (target.startsWith('/')) done.length = 0;
        pending = [...target.split('/').filter((p) => p !== '' && p !== '.'), ...pending];
      }
    }
    return done.join('/');
  }

  children(dir: string): ViewFile[] {
    const names = [...(this.kids.get(dir) ?? [])].sort();
    return names.map((n) => this.files.get(join(dir, n))).filter((f): f is ViewFile => f !== undefined);
  }

  all(): Iterable<ViewFile> {
    this.sorted ??= [...this.files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return this.sorted;
  }

  /** Number of paths in the tree. */
  get size(): number {
    return this.files.size;
  }
}

function join(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}
