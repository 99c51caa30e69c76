// Building an InvDataset from a dataset root (card + data files) or a lone parquet/Arrow file.
import type { InvDataset } from '../types.js';
import type { CollectedFiles } from './files.js';
import type { Root } from './layout.js';
import { cardLicenses } from './license.js';
import type { Identity } from './model.js';
import { dataFormatOf, fileWarnings, sortedUnique } from './summary.js';

/** Builds the dataset component of a root (or lone data file) from its collected files. */
export function buildDataset(path: string, id: Identity, root: Root | undefined, files: CollectedFiles): InvDataset {
  const card = root?.card;
  const licenses = sortedUnique((card?.licenses ?? []).flatMap((l) => cardLicenses({ ...card?.card, license: l })));
  const dataFiles = files.files.filter((f) => !/(?:^|\/)(?:readme\.md|\.gitattributes)$/i.test(f.path));
  const ds: InvDataset = {
    name: id.name,
    path,
    formats: sortedUnique(dataFiles.map(dataFormatOf)),
    licenses,
    files: files.files,
    warnings: [
      ...(card?.warnings ?? []).map((w) => `${path}/README.md: ${w}`),
      ...files.warnings,
      ...fileWarnings(files.files),
    ],
  };
  if (card?.prettyName) ds.description = card.prettyName;
  if (id.commit) ds.version = id.commit;
  if (id.url || id.commit) ds.source = { ...(id.url ? { url: id.url } : {}), ...(id.commit ? { commit: id.commit } : {}) };
  return ds;
}
