// Package catalogers (os-release, dpkg, apk, Python, npm) and the purl builder they share with other catalogers.
import type { Cataloger } from '../types.js';
import { apkCataloger } from './apk.js';
import { dpkgCataloger } from './dpkg.js';
import { npmCataloger } from './npm.js';
import { osReleaseCataloger } from './os-release.js';
import { pythonCataloger } from './python.js';

/** Every package cataloger, os-release first (dpkg and apk also read os-release through the view themselves). */
export const packageCatalogers: Cataloger[] = [osReleaseCataloger, dpkgCataloger, apkCataloger, pythonCataloger, npmCataloger];

export { purl, purlEncode } from './purl.js';
export type { PurlParts } from './purl.js';
export { textRule, textOf, claimedFiles } from './text-probe.js';
export type { TextFacts } from './text-probe.js';
export { osReleaseCataloger, parseOsRelease, readOsRelease, distroQualifier } from './os-release.js';
export type { OsRelease } from './os-release.js';
export { dpkgCataloger } from './dpkg.js';
export { parseDpkgStatus, isInstalled } from './dpkg-status.js';
export type { DebRecord } from './dpkg-status.js';
export { parseDebCopyright } from './deb-copyright.js';
export { apkCataloger, parseApkInstalled } from './apk.js';
export { pythonCataloger, parsePythonMetadata, normalizePythonName } from './python.js';
export { npmCataloger, parseNpmManifest, npmPurl } from './npm.js';
export { toSpdx, classifierLicense } from './licenses.js';
