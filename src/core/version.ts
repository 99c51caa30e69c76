// The tool's own name and version, read once from package.json (two levels above src/core and dist/core).
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** mlbuild's version from package.json. */
export function toolVersion(): string {
  if (cached === undefined) {
    try {
      cached = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
    } catch {
      cached = '0.0.0';
    }
  }
  return cached;
}
