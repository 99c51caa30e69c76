// A coarse kind for a file nobody owns: the format its content was identified as, else a class from its name and mode.
import { classifyContent } from '../formats/classify.js';
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

/** The kind of a file for the unaccounted summary and `denyKinds`: the format its content was identified as, else a class by name/mode. */
export function fileKind(f: Pick<ViewFile, 'path' | 'size' | 'facts'> & { mode?: number }): string {
  const content = classifyContent(f.path, f.size, f.facts);
  if (content !== undefined) return content.format;
  const name = f.path.slice(f.path.lastIndexOf('/') + 1).toLowerCase();
  for (const [re, kind] of BY_EXT) if (re.test(name)) return kind;
  if (((f.mode ?? 0) & 0o111) !== 0) return 'executable';
  return 'other';
}
