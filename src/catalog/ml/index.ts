// Public surface of the ML cataloger: the cataloger, its probe rules, card and license helpers reused by policy code.
export { mlCataloger, catalogMl } from './cataloger.js';
export { mlFileRule, mlTextRule, textCapFor, isMlFilePath, MODEL_EXTS, DATA_EXTS } from './rules.js';
export { hfLicenseToSpdx, cardLicenses } from './license.js';
export { parseCard, parseConfig, frontMatterOf, isModelConfig, type ParsedCard, type ParsedConfig } from './card.js';
export { parseRemoteUrl, remoteFromGitConfig, gitHeadCommit, hfCacheSnapshot, isHfCacheBlob, type RemoteRef, type HfCacheRef } from './git.js';
export { findLayout, type Root, type LoneGroup } from './layout.js';
export { huggingfacePurl, identityOf, type Identity } from './model.js';
