// License names as packages state them (Debian short names, Python classifiers) mapped to SPDX ids when unambiguous.

// Lowercased names that map one-to-one to an SPDX id.
const SPDX_BY_NAME: Record<string, string> = {
  mit: 'MIT',
  expat: 'MIT',
  'mit license': 'MIT',
  'apache-2': 'Apache-2.0',
  'apache-2.0': 'Apache-2.0',
  'apache 2.0': 'Apache-2.0',
  'apache license 2.0': 'Apache-2.0',
  'bsd-2-clause': 'BSD-2-Clause',
  'bsd-3-clause': 'BSD-3-Clause',
  'bsd-4-clause': 'BSD-4-Clause',
  isc: 'ISC',
  'isc license (iscl)': 'ISC',
  zlib: 'Zlib',
  'zlib/libpng license': 'Zlib',
  cc0: 'CC0-1.0',
  'cc0-1.0': 'CC0-1.0',
  'mpl-1.1': 'MPL-1.1',
  'mpl-2.0': 'MPL-2.0',
  'mozilla public license 2.0 (mpl 2.0)': 'MPL-2.0',
  'psf-2.0': 'PSF-2.0',
  'python software foundation license': 'PSF-2.0',
  'the unlicense (unlicense)': 'Unlicense',
  unlicense: 'Unlicense',
  'boost software license 1.0 (bsl-1.0)': 'BSL-1.0',
  curl: 'curl',
  openssl: 'OpenSSL',
  'artistic-2.0': 'Artistic-2.0',
  wtfpl: 'WTFPL',
};

// Python trove classifiers of the GNU family: "GNU General Public License v2 or later (GPLv2+)" and friends.
const GNU_CLASSIFIER = /^GNU (Affero |Lesser |Library or Lesser )?General Public License v(\d)( or later)? \(/;

/** Maps a Debian-style GNU short name (GPL-2+, LGPL-2.1, AGPL-3+, GFDL-1.3+) to its SPDX id, or undefined. */
function gnuShortName(name: string): string | undefined {
  const m = /^(A?GPL|LGPL|GFDL)-?(\d(?:\.\d)?)(\+)?$/i.exec(name);
  if (m === null) return undefined;
  const family = (m[1] as string).toUpperCase();
  const version = (m[2] as string).includes('.') ? (m[2] as string) : `${m[2] as string}.0`;
  return `${family}-${version}-${m[3] === '+' ? 'or-later' : 'only'}`;
}

/** The SPDX id for a license name when the mapping is unambiguous, else the name unchanged. */
export function toSpdx(name: string): string {
  const n = name.trim();
  return SPDX_BY_NAME[n.toLowerCase()] ?? gnuShortName(n) ?? n;
}

/** The license a "License :: …" trove classifier names (SPDX when unambiguous), or undefined for other classifiers. */
export function classifierLicense(classifier: string): string | undefined {
  const parts = classifier.split('::').map((s) => s.trim());
  if (parts[0] !== 'License' || parts.length < 2) return undefined;
  const last = parts[parts.length - 1] as string;
  if (last === 'OSI Approved') return undefined;
  const gnu = GNU_CLASSIFIER.exec(last);
  if (gnu !== null) {
    const family = gnu[1] === undefined ? 'GPL' : gnu[1] === 'Affero ' ? 'AGPL' : 'LGPL';
    const version = family === 'LGPL' && gnu[2] === '2' ? '2.0' : `${gnu[2] as string}.0`;
    return `${family}-${version}-${gnu[3] === undefined ? 'only' : 'or-later'}`;
  }
  return toSpdx(last);
}
