// Hugging Face license ids (lower-case, from model and dataset cards) mapped to SPDX ids where SPDX has one.

// HF id → SPDX id. HF ids absent here that have no SPDX id (openrail, llama2, gemma…) are kept as names.
const SPDX: Record<string, string> = {
  'apache-2.0': 'Apache-2.0', mit: 'MIT', 'afl-3.0': 'AFL-3.0', 'artistic-2.0': 'Artistic-2.0', 'bsl-1.0': 'BSL-1.0',
  'bsd-2-clause': 'BSD-2-Clause', 'bsd-3-clause': 'BSD-3-Clause', 'bsd-3-clause-clear': 'BSD-3-Clause-Clear',
  'cc0-1.0': 'CC0-1.0', 'cc-by-2.0': 'CC-BY-2.0', 'cc-by-2.5': 'CC-BY-2.5', 'cc-by-3.0': 'CC-BY-3.0',
  'cc-by-4.0': 'CC-BY-4.0', 'cc-by-sa-3.0': 'CC-BY-SA-3.0', 'cc-by-sa-4.0': 'CC-BY-SA-4.0',
  'cc-by-nc-2.0': 'CC-BY-NC-2.0', 'cc-by-nc-3.0': 'CC-BY-NC-3.0', 'cc-by-nc-4.0': 'CC-BY-NC-4.0',
  'cc-by-nd-4.0': 'CC-BY-ND-4.0', 'cc-by-nc-nd-3.0': 'CC-BY-NC-ND-3.0', 'cc-by-nc-nd-4.0': 'CC-BY-NC-ND-4.0',
  'cc-by-nc-sa-2.0': 'CC-BY-NC-SA-2.0', 'cc-by-nc-sa-3.0': 'CC-BY-NC-SA-3.0', 'cc-by-nc-sa-4.0': 'CC-BY-NC-SA-4.0',
  'cdla-sharing-1.0': 'CDLA-Sharing-1.0', 'cdla-permissive-1.0': 'CDLA-Permissive-1.0',
  'cdla-permissive-2.0': 'CDLA-Permissive-2.0', wtfpl: 'WTFPL', 'ecl-2.0': 'ECL-2.0', 'epl-1.0': 'EPL-1.0',
  'epl-2.0': 'EPL-2.0', 'etalab-2.0': 'etalab-2.0', 'eupl-1.1': 'EUPL-1.1', 'eupl-1.2': 'EUPL-1.2',
  'agpl-3.0': 'AGPL-3.0-only', 'gpl-2.0': 'GPL-2.0-only', 'gpl-3.0': 'GPL-3.0-only', 'lgpl-2.1': 'LGPL-2.1-only',
  'lgpl-3.0': 'LGPL-3.0-only', isc: 'ISC', 'lppl-1.3c': 'LPPL-1.3c', 'ms-pl': 'MS-PL', 'mpl-2.0': 'MPL-2.0',
  'odc-by': 'ODC-By-1.0', odbl: 'ODbL-1.0', 'osl-3.0': 'OSL-3.0', postgresql: 'PostgreSQL', 'ofl-1.1': 'OFL-1.1',
  ncsa: 'NCSA', unlicense: 'Unlicense', zlib: 'Zlib', pddl: 'PDDL-1.0',
};

// SPDX ids by lower-case form, so ids already in SPDX spelling ("Apache-2.0", "GPL-3.0-only") pass through.
const BY_LOWER = new Map<string, string>(Object.values(SPDX).map((id) => [id.toLowerCase(), id]));

/** Maps a Hugging Face license id to `{id}` (an SPDX id) or `{name}` (no SPDX id: openrail, llama3, other…); `{}` for unknown. */
export function hfLicenseToSpdx(hfId: string): { id?: string; name?: string } {
  const raw = hfId.trim();
  const key = raw.toLowerCase();
  if (key === '' || key === 'unknown') return {};
  const id = SPDX[key] ?? BY_LOWER.get(key);
  return id ? { id } : { name: raw };
}

/** The license strings of a card: SPDX ids where known, else names; `other` uses license_name (or license_link). */
export function cardLicenses(card: { license?: string; licenseName?: string; licenseLink?: string }): string[] {
  if (!card.license) return [];
  if (card.license.toLowerCase() === 'other') {
    const name = card.licenseName ?? card.licenseLink;
    return [name ?? 'other'];
  }
  const m = hfLicenseToSpdx(card.license);
  return m.id ? [m.id] : m.name ? [m.name] : [];
}
