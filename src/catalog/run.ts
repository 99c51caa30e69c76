// Runs catalogers: one probe factory for the layer scan (first matching rule wins), then each cataloger over the view.
import { ContentProbe } from './formats/content.js';
import type { Probe, ProbeFactory } from './probe.js';
import type { Cataloger, CatalogResult, FileView } from './types.js';

/**
 * The probe factory for a set of catalogers: every regular file gets a content probe (magic bytes decide, whatever
 * the name); when the bytes announce nothing, the first rule (in cataloger order) that matches the path reads it.
 */
export function probeFactory(catalogers: Cataloger[]): ProbeFactory {
  const rules = [...new Set(catalogers.flatMap((c) => c.probes))];
  const byPath = (path: string, size: number): Probe | undefined => {
    for (const r of rules) if (r.match(path, size)) return r.create(path, size);
    return undefined;
  };
  return (path: string, size: number): Probe => new ContentProbe(path, size, () => byPath(path, size));
}

/** Version of the content identification; part of the cache key so older layer facts are not reused. */
const CONTENT_VERSION = 'content-2';

/** A key naming the probe set, so cached layer facts are not reused by a different set. */
export function probeKey(catalogers: Cataloger[]): string {
  return [CONTENT_VERSION, ...new Set(catalogers.flatMap((c) => c.probes.map((p) => p.name)))].sort().join(',');
}

/** Runs every cataloger over the merged view; a failing cataloger becomes an unknown, never a crash. */
export function runCatalogers(catalogers: Cataloger[], view: FileView): CatalogResult {
  const out: CatalogResult = { packages: [], models: [], datasets: [], unknowns: [] };
  for (const c of catalogers) {
    try {
      c.catalog(view, out);
    } catch (err) {
      out.unknowns.push({ reason: `cataloger ${c.name} failed: ${(err as Error).message}` });
    }
  }
  return out;
}
