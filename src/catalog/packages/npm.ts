// The npm cataloger: installed packages from node_modules/<name>/package.json and node_modules/@scope/<name>/package.json.
import type { Cataloger, CatalogResult, FileView } from '../types.js';
import { purl } from './purl.js';
import { MiB, claimedFiles, textOf, textRule } from './text-probe.js';

// A package root directly under a node_modules folder; files deeper inside a package are not package roots.
const PACKAGE_JSON = /(^|\/)node_modules\/(?:@[^/]+\/)?[^/@.][^/]*\/package\.json$/;

/** The package.json fields mlbuild uses. */
export interface NpmManifest {
  name: string;
  version: string;
  licenses: string[];
  description?: string;
  author?: string;
}

/** Captures installed package manifests. */
export const npmPackageRule = textRule('npm-package', (path) => PACKAGE_JSON.test(path), 1 * MiB);

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

// license: "MIT" | {type: "MIT"}; legacy licenses: ["MIT"] | [{type: "MIT"}].
function licensesOf(doc: Record<string, unknown>): string[] {
  const one = (v: unknown): string | undefined =>
    str(v) ?? (typeof v === 'object' && v !== null ? str((v as Record<string, unknown>).type) : undefined);
  const list = [one(doc.license), ...(Array.isArray(doc.licenses) ? doc.licenses.map(one) : [])];
  return [...new Set(list.filter((l): l is string => l !== undefined))];
}

// author: "Name <mail> (url)" | {name}.
function authorOf(v: unknown): string | undefined {
  return str(v) ?? (typeof v === 'object' && v !== null ? str((v as Record<string, unknown>).name) : undefined);
}

/** Parses a package.json; throws SyntaxError on invalid JSON, returns undefined without a name or version. */
export function parseNpmManifest(text: string): NpmManifest | undefined {
  const doc: unknown = JSON.parse(text);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined;
  const rec = doc as Record<string, unknown>;
  const name = str(rec.name);
  const version = str(rec.version);
  if (name === undefined || version === undefined) return undefined;
  const manifest: NpmManifest = { name, version, licenses: licensesOf(rec) };
  const description = str(rec.description);
  if (description !== undefined) manifest.description = description;
  const author = authorOf(rec.author);
  if (author !== undefined) manifest.author = author;
  return manifest;
}

/** The purl of an npm package: a scope becomes the namespace, its "@" encoded ("pkg:npm/%40scope/name@1.0.0"). */
export function npmPurl(name: string, version: string): string {
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  if (slash > 0) return purl({ type: 'npm', namespace: name.slice(0, slash), name: name.slice(slash + 1), version });
  return purl({ type: 'npm', name, version });
}

/** Reads installed npm packages; manifests that are not valid JSON become unknowns. */
export const npmCataloger: Cataloger = {
  name: 'npm',
  probes: [npmPackageRule],
  catalog(view: FileView, out: CatalogResult) {
    for (const file of claimedFiles(view, npmPackageRule)) {
      const text = textOf(file);
      if (text === undefined) {
        out.unknowns.push({ path: file.path, layer: file.layer, reason: 'package.json was not captured' });
        continue;
      }
      let manifest: NpmManifest | undefined;
      try {
        manifest = parseNpmManifest(text.text);
      } catch (e) {
        const why = text.truncated ? 'larger than the capture cap' : `invalid JSON: ${(e as Error).message}`;
        out.unknowns.push({ path: file.path, layer: file.layer, reason: `package.json ${why}` });
        continue;
      }
      if (manifest === undefined) continue;
      out.packages.push({
        ecosystem: 'npm',
        name: manifest.name,
        version: manifest.version,
        purl: npmPurl(manifest.name, manifest.version),
        licenses: manifest.licenses,
        location: { path: file.path, layer: file.layer },
        ...(manifest.description !== undefined ? { description: manifest.description } : {}),
        ...(manifest.author !== undefined ? { supplier: manifest.author } : {}),
      });
    }
  },
};
