// Package-manager state: the database and caches dpkg, apt, debconf and apk write, owned by the tool that writes them.
import type { CatalogResult } from '../types.js';

// Maintainer-script and control files in dpkg's info folder: owned by the package they are named after.
const DPKG_INFO = /^var\/lib\/dpkg\/info\/([^/:]+)(?::[^/.]+)?\.(?:conffiles|config|postinst|postrm|preinst|prerm|shlibs|symbols|templates|triggers|md5sums|list)$/;
const STATE: Array<[RegExp, string]> = [
  [/^var\/lib\/dpkg\/(?:status|status-old|available|available-old|arch|diversions|diversions-old|statoverride|statoverride-old|lock|lock-frontend|cmethopt|info\/format|triggers\/[^/]+|alternatives\/[^/]+|updates\/[^/]+)$/, 'deb:dpkg'],
  [/^var\/log\/(?:dpkg\.log|alternatives\.log)$/, 'deb:dpkg'],
  [/^var\/lib\/apt\/(?:extended_states|lists\/.+)$|^var\/cache\/apt\/.+|^var\/log\/apt\/.+/, 'deb:apt'],
  [/^var\/cache\/debconf\/[^/]+\.dat(?:-old)?$/, 'deb:debconf'],
  [/^lib\/apk\/db\/(?:installed|lock|scripts\.tar|triggers)$/, 'apk:apk-tools'],
];

/** The package (id) whose manager wrote this state file, when that package is installed; else undefined. */
export function stateClaim(path: string, installed: Set<string>): string | undefined {
  if (!path.startsWith('var/') && !path.startsWith('lib/apk/')) return undefined;
  const info = DPKG_INFO.exec(path);
  if (info !== null) return installed.has(`deb:${info[1] as string}`) ? `deb:${info[1] as string}` : undefined;
  for (const [re, id] of STATE) if (re.test(path)) return installed.has(id) ? id : undefined;
  return undefined;
}

/** The `<ecosystem>:<name>` ids of the catalog's packages. */
export function installedIds(catalog: CatalogResult): Set<string> {
  return new Set(catalog.packages.map((p) => `${p.ecosystem}:${p.name}`));
}

