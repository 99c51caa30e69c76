// The catalog surface: every cataloger, the runner, and the types catalogers share.
import type { Cataloger } from './types.js';
import { packageCatalogers } from './packages/index.js';
import { mlCataloger } from './ml/index.js';
import { ownershipCataloger } from './owners/index.js';

export * from './types.js';
export * from './probe.js';
export * from './run.js';
export { purl } from './packages/index.js';
export * from './owners/index.js';

/** Every cataloger mlbuild runs: packages, the file-ownership captures (before any catch-all probe), then ML models and datasets. */
export const allCatalogers: Cataloger[] = [...packageCatalogers, ownershipCataloger, mlCataloger()];
