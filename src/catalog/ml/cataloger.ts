// The ML cataloger: Hugging Face model and dataset folders, HF cache snapshots, and lone weights or data files.
import type { Cataloger, CatalogResult, FileView } from '../types.js';
import { buildDataset } from './dataset.js';
import { cmp, collectEntries, collectFiles } from './files.js';
import { findLayout } from './layout.js';
import { buildModel, identityOf } from './model.js';
import { mlFileRule, mlTextRule } from './rules.js';

/** Catalogs models and datasets from the merged view into `out` (the body of the ML cataloger). */
export function catalogMl(view: FileView, out: CatalogResult): void {
  const { roots, lone } = findLayout(view);
  const models = [];
  const datasets = [];
  for (const root of roots) {
    const files = collectFiles(view, root.dir);
    out.unknowns.push(...files.unknowns);
    const id = identityOf(root);
    if (root.kind === 'model') models.push(buildModel(root.dir, id, root, files));
    else datasets.push(buildDataset(root.dir, id, root, files));
  }
  for (const group of lone) {
    const files = collectEntries(view, group.entries);
    out.unknowns.push(...files.unknowns);
    const path = files.files[0]?.path ?? group.entries[0]!.path;
    const id = { name: group.name };
    if (group.kind === 'model') models.push(buildModel(path, id, undefined, files));
    else datasets.push(buildDataset(path, id, undefined, files));
  }
  out.models.push(...models.sort((a, b) => cmp(a.path, b.path)));
  out.datasets.push(...datasets.sort((a, b) => cmp(a.path, b.path)));
}

/** Creates the ML cataloger: its probe rules (ML file sniffing, text captures) and its catalog step. */
export function mlCataloger(): Cataloger {
  return { name: 'ml', probes: [mlTextRule, mlFileRule], catalog: catalogMl };
}

