// Package URLs: a builder that follows the purl-spec canonical form and percent-encoding rules.
import { fail } from '../../core/errors.js';

/** The components of a package URL, unencoded. */
export interface PurlParts {
  type: string;
  /** Slash-separated segments, e.g. "debian" or "@angular"; each segment is encoded on its own. */
  namespace?: string;
  name: string;
  version?: string;
  /** Key/value pairs; keys are lowercased and sorted, empty values dropped. */
  qualifiers?: Record<string, string | undefined>;
  /** Slash-separated path inside the package; "", "." and ".." segments are dropped. */
  subpath?: string;
}

/** Percent-encodes every character except A-Z a-z 0-9 . - _ ~ and the colon, which purl-spec never encodes. */
export function purlEncode(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%3A/g, ':');
}

// Type-specific normalizations the purl-spec's type definitions require.
const NORMALIZE: Record<string, (p: { namespace?: string; name: string }) => { namespace?: string; name: string }> = {
  pypi: (p) => ({ namespace: p.namespace, name: p.name.toLowerCase().replace(/_/g, '-') }),
  github: (p) => ({ namespace: p.namespace?.toLowerCase(), name: p.name.toLowerCase() }),
  bitbucket: (p) => ({ namespace: p.namespace?.toLowerCase(), name: p.name.toLowerCase() }),
  deb: (p) => ({ namespace: p.namespace?.toLowerCase(), name: p.name }),
  apk: (p) => ({ namespace: p.namespace?.toLowerCase(), name: p.name }),
};

function segments(path: string | undefined, dropDots: boolean): string[] {
  if (path === undefined) return [];
  return path.split('/').filter((s) => s !== '' && !(dropDots && (s === '.' || s === '..')));
}

/** Builds a canonical package URL string: `pkg:type/namespace/name@version?qualifiers#subpath`. */
export function purl(parts: PurlParts): string {
  const type = parts.type.toLowerCase();
  if (!/^[a-z.+-][a-z0-9.+-]*$/.test(type)) fail('CORRUPT_INPUT', `invalid purl type "${parts.type}"`);
  if (parts.name === '') fail('CORRUPT_INPUT', `purl of type ${type} needs a name`);
  const norm = NORMALIZE[type]?.(parts) ?? parts;

  let out = `pkg:${type}/`;
  const ns = segments(norm.namespace, false);
  if (ns.length > 0) out += `${ns.map(purlEncode).join('/')}/`;
  out += purlEncode(norm.name);
  if (parts.version !== undefined && parts.version !== '') out += `@${purlEncode(parts.version)}`;

  const pairs = Object.entries(parts.qualifiers ?? {})
    .filter((kv): kv is [string, string] => kv[1] !== undefined && kv[1] !== '')
    .map(([k, v]) => [k.toLowerCase(), v] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [k] of pairs) {
    if (!/^[a-z.\-_][a-z0-9.\-_]*$/.test(k)) fail('CORRUPT_INPUT', `invalid purl qualifier key "${k}"`);
  }
  if (pairs.length > 0) out += `?${pairs.map(([k, v]) => `${k}=${purlEncode(v)}`).join('&')}`;

  const sub = segments(parts.subpath, true);
  if (sub.length > 0) out += `#${sub.map(purlEncode).join('/')}`;
  return out;
}
