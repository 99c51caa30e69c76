// Turns license strings (SPDX ids, expressions or free names) into CycloneDX license models.
import { Models, SPDX } from '@cyclonedx/cyclonedx-library';

/** One CycloneDX license per input: an SPDX id when it is one, an expression when it parses as one, else a name. */
export function toCdxLicenses(licenses: string[]): Models.License[] {
  const unique = [...new Set(licenses.filter((l) => l.trim() !== ''))].sort();
  return unique.map((l) => {
    const id = SPDX.fixupSpdxId(l);
    if (id) return new Models.SpdxLicense(id);
    // CycloneDX allows one expression alone, or a list of licenses: in a list, an expression is kept as a name.
    if (unique.length === 1 && /\s(AND|OR|WITH)\s/.test(l)) return new Models.LicenseExpression(l);
    return new Models.NamedLicense(l);
  });
}
