// License checks: the attested license (SPDX id or simple OR/AND expression) against allow and deny lists.
import { hfLicenseToSpdx } from '../catalog/ml/license.js';

/** An SPDX id for a license string (HF ids such as `mit` mapped), compared case-insensitively. */
export function licenseKey(id: string): string {
  const m = hfLicenseToSpdx(id);
  return (m.id ?? m.name ?? id).trim().toLowerCase();
}

/** The verdict of a license check: ok, denied (naming the offending id), or unknown (no license to check). */
export type LicenseVerdict = { ok: true } | { ok: false; reason: 'denied' | 'unknown'; license?: string };

/**
 * Checks `license` against allow/deny. `A OR B` passes when any alternative passes; `A AND B` needs all; a
 * license on the deny list always fails; with an allow list, a missing license fails as unknown.
 */
export function checkLicense(license: string | null | undefined, rules: { allow?: string[]; deny?: string[] }): LicenseVerdict {
  const allow = rules.allow?.map(licenseKey);
  const deny = new Set((rules.deny ?? []).map(licenseKey));
  if (!license || license.trim() === '') return allow ? { ok: false, reason: 'unknown' } : { ok: true };
  const alternatives = license.replace(/[()]/g, ' ').split(/\s+OR\s+/i).map((alt) => alt.split(/\s+AND\s+/i).map((x) => x.trim()).filter(Boolean));
  const passes = (id: string): boolean => !deny.has(licenseKey(id)) && (!allow || allow.includes(licenseKey(id)));
  if (alternatives.some((all) => all.length > 0 && all.every(passes))) return { ok: true };
  return { ok: false, reason: 'denied', license };
}
