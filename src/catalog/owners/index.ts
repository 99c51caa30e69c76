// File ownership: who owns every regular file of an image (packages with digests checked, models, build context).
import type { Cataloger } from '../types.js';
import { dpkgFilesRule } from './dpkg.js';
import { pythonRecordRule } from './python.js';

export type { FileOwner, FileOwners, PackageFileState } from './types.js';
export { fileOwners, claimModelFiles, claimContextFiles } from './owners.js';
export { ownershipSummary, ownerLabel, type OwnershipSummary, type UnaccountedKind } from './summary.js';
export { fileKind } from './kind.js';
export { csvRow, recordSha256 } from './python.js';

/** Runs no catalog step itself: it only asks the layer scan to capture the file lists and digests ownership reads. */
export const ownershipCataloger: Cataloger = {
  name: 'file-owners',
  probes: [dpkgFilesRule, pythonRecordRule],
  catalog() {},
};
