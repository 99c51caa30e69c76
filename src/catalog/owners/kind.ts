// A coarse kind for a file nobody owns: what its probe found, else a class from its name and mode.
import type { ViewFile } from '../types.js';

const BY_EXT: Array<[RegExp, string]> = [
  [/\.(py|pyc|pyo|pyi)$/, 'python'],
  [/\.(js|mjs|cjs|ts)$/, 'javascript'],
  [/\.so(\.\d+)*$|\.(a|o|dylib|dll)$/, 'native-library'],
  [/\.(zip|tar|tgz|gz|bz2|xz|zst|whl|egg|jar|7z|rar|deb|rpm|apk)$/, 'archive'],
  [/\.(sh|bash|pl|rb|lua)$/, 'script'],
  [/\.(json|ya?ml|toml|ini|cfg|conf|xml|env|properties)$/, 'config'],
  [/\.(txt|md|rst|html?|css|csv|tsv|log)$/, 'text'],
  [/\.(png|jpe?g|gif|svg|ico|webp|bmp)$/, 'image'],
];

/** The kind of a file for the unaccounted summary and `denyKinds`: probe facts' kind when known, else by name/mode. */
export function fileKind(f: Pick<ViewFile, 'path' | 'facts'> & { mode?: number }): string {
  const k = f.facts?.kind;
  if (typeof k === 'string' && k !== 'text' && k !== 'error' && k !== 'unknown') return k;
  const name = f.path.slice(f.path.lastIndexOf('/') + 1).toLowerCase();
  for (const [re, kind] of BY_EXT) if (re.test(name)) return kind;
  if (((f.mode ?? 0) & 0o111) !== 0) return 'executable';
  return 'other';
}
