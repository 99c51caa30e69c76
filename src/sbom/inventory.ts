// The neutral inventory of an image: what was found, before any output format is chosen.
import type { CatalogResult, Unknown, ViewFile } from '../catalog/types.js';
import type { FileOwners, OwnershipSummary } from '../catalog/owners/index.js';

/** One layer as the inventory reports it. */
export interface InventoryLayer {
  index: number;
  diffID: string;
  digest?: string;
  createdBy?: string;
}

/** The image an inventory describes. */
export interface InventoryImage {
  target: string;
  scheme: string;
  name?: string;
  tags: string[];
  imageId: string;
  manifestDigest?: string;
  repoDigests: string[];
  architecture?: string;
  os?: string;
  created?: string;
  layers: InventoryLayer[];
  notes: string[];
}

/** Everything mlbuild found in an image. */
export interface Inventory {
  tool: { name: string; version: string };
  image: InventoryImage;
  catalog: CatalogResult;
  /** Every regular file of the merged tree, sorted by path. */
  files: ViewFile[];
  /** Layer-level and cataloger unknowns together. */
  unknowns: Unknown[];
  /** The owner of every regular file, by path. */
  owners?: FileOwners;
  /** Owner totals and unaccounted files by kind (set once every claim is in). */
  ownership?: OwnershipSummary;
}

/** Which files become SBOM components: every regular file, only model and dataset files, or none. */
export type FilesMode = 'all' | 'models' | 'none';
