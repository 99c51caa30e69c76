// Turns license strings (SPDX ids, expressions or free names) into CycloneDX license entries.
import { spdxId } from './spdx.js';

/** A CycloneDX `licenses` array entry. */
export type CdxLicense = { license: { id: string } | { name: string } } | { expression: string };

/** CycloneDX licenses: an SPDX id when it is one, an expression when alone and it parses as one, else a name. */
export function toCdxLicenses(licenses: string[]): CdxLicense[] {
  const unique = [...new Set(licenses.map((l) => l.trim()).filter((l) => l !== ''))].sort();
  return unique.map((l) => {
    const id = spdxId(l);
    if (id) return { license: { id } };
    // CycloneDX allows one expression alone, or a list of licenses: in a list, an expression is kept as a name.
    if (unique.length === 1 && /\s(AND|OR|WITH)\s/.test(l)) return { expression: l };
    return { license: { name: l } };
  });
}
