// Licenses of a Debian package from its machine-readable (DEP-5) usr/share/doc/<name>/copyright file.
import { fields, firstLine, parseParagraphs } from './deb822.js';
import { toSpdx } from './licenses.js';

/** Image paths of Debian copyright files. */
export const COPYRIGHT_PATH = /^usr\/share\/doc\/[^/]+\/copyright$/;

/** The copyright file path for a package (its doc folder may be a symlink to another package's). */
export function copyrightPath(pkg: string): string {
  return `usr/share/doc/${pkg}/copyright`;
}

// Splits a DEP-5 license expression ("GPL-2+ or Artistic", "A and B, or C") into its license names.
function licenseNames(expression: string): string[] {
  return expression
    .split(/\s*,\s*(?:and|or)?\s*|\s+(?:and|or)\s+/i)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * The distinct license names of the Files paragraphs of a DEP-5 copyright file, in order of first appearance,
 * mapped to SPDX ids where unambiguous ("GPL-2+" → "GPL-2.0-or-later"); [] when the file is not DEP-5.
 */
export function parseDebCopyright(text: string): string[] {
  const paragraphs = parseParagraphs(text);
  const header = paragraphs[0];
  if (header === undefined || (firstLine(header, 'Format') ?? firstLine(header, 'Format-Specification')) === undefined) {
    return [];
  }
  const seen = new Set<string>();
  for (const p of paragraphs) {
    if (fields(p, 'Files').length === 0) continue;
    for (const value of fields(p, 'License')) {
      const expression = value.split('\n')[0]?.trim() ?? '';
      for (const name of licenseNames(expression)) seen.add(/\swith\s/i.test(name) ? name : toSpdx(name));
    }
  }
  return [...seen];
}
