// The Python cataloger: installed distributions from dist-info METADATA and egg-info PKG-INFO files.
import type { Cataloger, CatalogResult, FileView } from '../types.js';
import { field, fields, firstLine, parseParagraphs } from './deb822.js';
import { classifierLicense, toSpdx } from './licenses.js';
import { purl } from './purl.js';
import { KiB, claimedFiles, textOf, textRule } from './text-probe.js';

const DIST_INFO = /(^|\/)(site|dist)-packages\/[^/]+\.dist-info\/METADATA$/;
const EGG_INFO = /(^|\/)[^/]+\.egg-info(\/PKG-INFO)?$/;

/** The core metadata fields mlbuild uses. */
export interface PythonMetadata {
  name: string;
  version: string;
  licenses: string[];
  summary?: string;
  author?: string;
}

/** Captures dist-info METADATA and egg-info PKG-INFO (a file, or the PKG-INFO of an egg-info folder). */
export const pythonMetadataRule = textRule('python-metadata', (p) => DIST_INFO.test(p) || EGG_INFO.test(p), 256 * KiB);

/** PEP 503 normalization: lowercase, runs of "-", "_" and "." become one "-". */
export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

// A License field that holds a short name (not a whole license text, not UNKNOWN).
function shortLicense(value: string | undefined): string | undefined {
  const v = value?.trim();
  if (v === undefined || v === '' || v.includes('\n') || v.length > 80 || /^unknown$/i.test(v)) return undefined;
  return toSpdx(v);
}

/**
 * Parses core metadata headers; licenses come from License-Expression, else a short License field, else
 * "License ::" classifiers. Undefined when Name or Version is missing.
 */
export function parsePythonMetadata(text: string): PythonMetadata | undefined {
  const head = parseParagraphs(text, { firstOnly: true })[0];
  if (head === undefined) return undefined;
  const name = firstLine(head, 'Name');
  const version = firstLine(head, 'Version');
  if (name === undefined || version === undefined) return undefined;
  const expression = firstLine(head, 'License-Expression');
  const fromField = shortLicense(field(head, 'License'));
  const fromClassifiers = [
    ...new Set(fields(head, 'Classifier').map(classifierLicense).filter((l): l is string => l !== undefined)),
  ];
  const licenses = expression !== undefined ? [expression] : fromField !== undefined ? [fromField] : fromClassifiers;
  const meta: PythonMetadata = { name, version, licenses };
  const summary = firstLine(head, 'Summary');
  if (summary !== undefined && summary !== 'UNKNOWN') meta.summary = summary;
  const author = firstLine(head, 'Author') ?? firstLine(head, 'Author-email');
  if (author !== undefined && author !== 'UNKNOWN') meta.author = author;
  return meta;
}

// The folder a distribution is installed in (site-packages…), used to spot the same distribution twice.
function installDir(path: string): string {
  const parts = path.split('/');
  const at = parts.findIndex((s) => s.endsWith('.dist-info') || s.endsWith('.egg-info'));
  return parts.slice(0, at).join('/');
}

/** Reads Python distributions into pypi packages, one per normalized name, version and install folder. */
export const pythonCataloger: Cataloger = {
  name: 'python',
  probes: [pythonMetadataRule],
  catalog(view: FileView, out: CatalogResult) {
    const seen = new Set<string>();
    for (const file of claimedFiles(view, pythonMetadataRule)) {
      const text = textOf(file);
      const meta = text === undefined ? undefined : parsePythonMetadata(text.text);
      if (meta === undefined) {
        const reason = text === undefined ? 'python metadata was not captured' : 'python metadata without Name or Version';
        out.unknowns.push({ path: file.path, layer: file.layer, reason });
        continue;
      }
      const name = normalizePythonName(meta.name);
      const key = `${installDir(file.path)}\n${name}\n${meta.version}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.packages.push({
        ecosystem: 'pypi',
        name: meta.name,
        version: meta.version,
        purl: purl({ type: 'pypi', name, version: meta.version }),
        licenses: meta.licenses,
        location: { path: file.path, layer: file.layer },
        ...(meta.summary !== undefined ? { description: meta.summary } : {}),
        ...(meta.author !== undefined ? { supplier: meta.author } : {}),
      });
    }
  },
};
