// The model-source surface: SOURCE specs, opening (clone/folder/file), walking with filters, LFS pointers,
// parallel hashing, and the model card facts that go into an attestation.
export { parseModelSource, formatModelSource, redactUrl, type ModelSourceSpec } from './source-spec.js';
export { openModelSource, fetchLfsContent, type OpenedModel } from './open-source.js';
export { walkModel, pathMatcher, type FoundFile, type WalkProblem, type WalkResult, type PathFilter } from './walk.js';
export { parseLfsPointer, readLfsPointer, LFS_POINTER_MAX, type LfsPointer } from './lfs.js';
export { hashFiles, warmHashWorkers, HASH_CHUNK, type FileHash } from './hash-pool.js';
export { scanModel, type ModelScan, type ScannedFile } from './scan.js';
export { readCardFacts, CARD_NAMES, type CardFacts } from './card.js';
export { makeTempFolder, removeTempFoldersSync, type TempFolder } from './temp.js';
export { cloneAt, cloneFacts, runGit, GIT_ENV } from './git.js';
