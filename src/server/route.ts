// Request paths of the OCI distribution API, parsed strictly: repository names and references as the spec allows
// them, and anything else (path tricks, encoded slashes, dot segments) refused as a 400.
import { isDigest, type Digest } from '../core/digest.js';
import { deny } from './oci-error.js';

/** One parsed request target. */
export type Route =
  | { kind: 'base' }
  | { kind: 'health' }
  | { kind: 'metrics' }
  | { kind: 'manifest'; name: string; reference: string }
  | { kind: 'blob'; name: string; digest: Digest }
  | { kind: 'upload'; name: string; rest: string }
  | { kind: 'referrers'; name: string; digest: Digest; artifactType?: string }
  | { kind: 'tags'; name: string };

/** A repository name component path, as the distribution spec writes it. */
const NAME = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const MAX_NAME = 255;
const MAX_TARGET = 2048;

/** True when `name` is a valid repository name (the spec's regex, at most 255 characters). */
export function validName(name: string): boolean {
  return name.length <= MAX_NAME && NAME.test(name);
}

/** True for a tag or a sha256 digest. */
export function validReference(ref: string): boolean {
  return TAG.test(ref) || isDigest(ref);
}

function checkName(name: string): string {
  if (!validName(name)) deny(400, 'NAME_INVALID', `invalid repository name: ${name.slice(0, 80)}`);
  return name;
}

function checkDigest(d: string): Digest {
  if (!isDigest(d)) deny(400, 'DIGEST_INVALID', `invalid digest: ${d.slice(0, 80)}`);
  return d;
}

/** Parses a request target (path and query); throws a 400 GateError for anything malformed, undefined for unknown paths. */
export function parseRoute(target: string): Route | undefined {
  if (target.length > MAX_TARGET) deny(400, 'UNSUPPORTED', 'request target too long');
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : target.slice(q + 1));
  // Names and references never contain '%', so any escape (e.g. %2e%2e, %2f) is a trick; so are dot segments.
  if (!path.startsWith('/') || path.includes('%') || path.includes('\\') || /(^|\/)\.{1,2}(\/|$)/.test(path) || path.includes('//')) {
    deny(400, 'NAME_INVALID', 'malformed request path');
  }
  if (path === '/healthz') return { kind: 'health' };
  if (path === '/metrics') return { kind: 'metrics' };
  if (path === '/v2' || path === '/v2/') return { kind: 'base' };
  if (!path.startsWith('/v2/')) return undefined;
  const rest = path.slice(4);
  let m = /^(.+)\/manifests\/([^/]+)$/.exec(rest);
  if (m) {
    if (!validReference(m[2])) deny(400, isDigest(m[2]) || m[2].includes(':') ? 'DIGEST_INVALID' : 'TAG_INVALID', `invalid reference: ${m[2].slice(0, 80)}`);
    return { kind: 'manifest', name: checkName(m[1]), reference: m[2] };
  }
  m = /^(.+)\/blobs\/uploads(\/.*)?$/.exec(rest);
  if (m) return { kind: 'upload', name: checkName(m[1]), rest: m[2] ?? '' };
  m = /^(.+)\/blobs\/([^/]+)$/.exec(rest);
  if (m) return { kind: 'blob', name: checkName(m[1]), digest: checkDigest(m[2]) };
  m = /^(.+)\/referrers\/([^/]+)$/.exec(rest);
  if (m) return { kind: 'referrers', name: checkName(m[1]), digest: checkDigest(m[2]), artifactType: query.get('artifactType') ?? undefined };
  m = /^(.+)\/tags\/list$/.exec(rest);
  if (m) return { kind: 'tags', name: checkName(m[1]) };
  return undefined;
}
