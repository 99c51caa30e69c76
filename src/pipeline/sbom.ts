// The SBOM workflow: open an image, scan its layers once, merge, catalog, and encode CycloneDX.
import { toolVersion, type EventSink, noEvents } from '../core/index.js';
import { allCatalogers, fileOwners, ownershipSummary, probeFactory, probeKey, runCatalogers, type FileView, type Unknown, type ViewFile } from '../catalog/index.js';
import { openImage, type OpenOptions } from '../image/open.js';
import { scanImage } from '../image/scan-image.js';
import { MergedTree } from '../image/merge.js';
import { LayerCache } from '../image/layer-cache.js';
import type { Image } from '../image/types.js';
import { toCycloneDx } from '../sbom/cyclonedx.js';
import type { FilesMode, Inventory } from '../sbom/inventory.js';

/** Options of the SBOM workflow. */
export interface SbomOptions extends OpenOptions {
  files?: FilesMode;
  /** Layer cache folder (the wiring resolves the default); false or omitted: no cache. */
  cacheDir?: string | false;
  events?: EventSink;
  timestamp?: Date;
  /** The clock read when the SBOM is written, when no timestamp is given (the wiring honours SOURCE_DATE_EPOCH). */
  sbomTime?: () => Date;
}

/** Scans an opened image into an inventory (and the merged tree, for callers that check files). */
export async function inventoryOf(image: Image, opts: SbomOptions = {}): Promise<{ inventory: Inventory; tree: MergedTree }> {
  const catalogers = allCatalogers;
  const cache = typeof opts.cacheDir === 'string' ? new LayerCache(opts.cacheDir, probeKey(catalogers)) : undefined;
  const scans = await scanImage(image, { probeFor: probeFactory(catalogers), cache, events: opts.events ?? noEvents });
  const tree = MergedTree.fromScans(scans);
  const catalog = runCatalogers(catalogers, tree);
  const files: ViewFile[] = [];
  for (const f of tree.all()) if (f.type === 'file') files.push(f);
  const unknowns: Unknown[] = [];
  scans.forEach((s, layer) => s.unknowns.forEach((u) => unknowns.push({ ...u, layer })));
  unknowns.push(...catalog.unknowns);
  const inventory: Inventory = {
    tool: { name: 'mlbuild', version: toolVersion() },
    image: {
      target: image.target,
      scheme: image.scheme,
      name: image.name,
      tags: image.tags,
      imageId: image.imageId,
      manifestDigest: image.manifestDigest,
      repoDigests: image.repoDigests,
      architecture: image.config.architecture,
      os: image.config.os,
      created: image.config.created,
      layers: image.layers.map((l) => ({ index: l.index, diffID: l.diffID, digest: l.digest, createdBy: l.createdBy })),
      notes: image.notes,
    },
    catalog,
    files,
    unknowns,
    owners: fileOwners(tree, catalog),
  };
  return { inventory, tree };
}

/** Totals file owners into the inventory and reports unaccounted files by kind; call after every model or context claim. */
export function settleOwnership(inventory: Inventory, view: FileView, events: EventSink = noEvents): void {
  if (inventory.owners === undefined) return;
  inventory.ownership = ownershipSummary(inventory.owners, view);
  for (const u of inventory.ownership.unaccounted) events({ type: 'unaccounted', kind: u.kind, files: u.files, bytes: u.bytes });
}

/** The current time: the default SBOM clock. */
export const now = (): Date => new Date();

/** Produces the CycloneDX JSON of a target. */
export async function generateSbom(target: string, opts: SbomOptions = {}): Promise<{ json: string; inventory: Inventory }> {
  const image = await openImage(target, opts);
  try {
    const { inventory, tree } = await inventoryOf(image, opts);
    settleOwnership(inventory, tree, opts.events);
    const json = toCycloneDx(inventory, { files: opts.files ?? 'all', timestamp: opts.timestamp ?? (opts.sbomTime ?? now)() });
    return { json, inventory };
  } finally {
    await image.close();
  }
}
