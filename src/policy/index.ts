// The policy surface: load and validate a YAML policy, evaluate it over models (and later images), findings,
// license and format helpers, and the Hugging Face Hub license cross-check.
export { loadPolicy, parsePolicy } from './load.js';
export { evaluatePolicy, defaultPolicy } from './evaluate.js';
export { compileRule, RULE_VARIABLES, type CompiledRule } from './cel.js';
export { checkLicense, licenseKey, type LicenseVerdict } from './licenses.js';
export { formatOfPath, KNOWN_FORMATS } from './formats.js';
export { fileFindings, judgeFiles, defaultFilesPolicy, type FileFinding, type OwnedFile } from './files.js';
export { hubLicense, hubModelId, compareHubLicense } from './hub.js';
export { ATLAS, type Finding, type FindingKind } from './finding.js';
export { allowUnattested, type AllowTest } from './allow.js';
export type { Policy, PolicySigner, PolicyInput, PolicyModel, PolicyModelFile, FilesPolicy } from './types.js';
