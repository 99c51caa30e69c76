// Which lower-layer paths the layers above hide: built top-down so hidden files need not be hashed.
import type { LayerScan } from './layer-scan.js';

/** Accumulates the effect of upper layers (entries, whiteouts, opaque dirs) on the layers below. */
export class HiddenIndex {
  private readonly exact = new Set<string>();
  private readonly hidesBelow = new Set<string>();

  /** True when an upper layer replaces or deletes this path. */
  hides(path: string): boolean {
    if (this.exact.has(path)) return true;
    for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
      if (this.hidesBelow.has(path.slice(0, i))) return true;
    }
    return this.hidesBelow.has('');
  }

  /** Adds one layer's effect; call for layers from the top down. */
  add(scan: LayerScan): void {
    for (const e of scan.entries) {
      this.exact.add(e.path);
      if (e.type !== 'dir') this.hidesBelow.add(e.path);
    }
    for (const w of scan.whiteouts) {
      this.exact.add(w);
      this.hidesBelow.add(w);
    }
    for (const o of scan.opaques) this.hidesBelow.add(o);
  }
}
