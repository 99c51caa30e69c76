// SPDX license ids, read once from the SPDX list the CycloneDX library ships (the schema's own enum).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let ids: Map<string, string> | undefined;

function load(): Map<string, string> {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@cyclonedx/cyclonedx-library');
  // dist.node/index.node.js → package root → res/schema/spdx.SNAPSHOT.schema.json
  const file = join(dirname(entry), '..', 'res', 'schema', 'spdx.SNAPSHOT.schema.json');
  const list = (JSON.parse(readFileSync(file, 'utf8')) as { enum: string[] }).enum;
  return new Map(list.map((id) => [id.toLowerCase(), id]));
}

/** The canonical SPDX id for `s` (case-insensitive), or undefined when it is not one. */
export function spdxId(s: string): string | undefined {
  ids ??= load();
  return ids.get(s.trim().toLowerCase());
}
