// Normalized model source URLs: one identity per repository however its clone URL is spelled.
import { resolve } from 'node:path';
import { fail } from '../core/errors.js';

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443', 'ssh:': '22', 'git:': '9418' };
const SCP_LIKE = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)(.+)$/;

/**
 * The identity key of a model source, for store lookups (not a fetchable URL): `host[:port]/path` for network
 * URLs — scheme, credentials, query, fragment, default port, `.git` and trailing slashes dropped, host lowercased —
 * so `https://huggingface.co/org/model` and `http://user@HuggingFace.co/org/model.git/` are equal;
 * `file://<absolute path>` for local folders.
 */
export function normalizeSourceUrl(input: string): string {
  let s = input.trim();
  if (s === '') fail('USAGE', 'empty source URL');
  s = s.replace(/^git\+/, '');
  if (/^git:(?!\/\/)/.test(s)) s = s.slice(4); // mlbuild's `git:URL` source syntax
  if (s.startsWith('file:')) return localKey(decodeURIComponent(new URL(s).pathname));
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) return networkKey(s);
  const scp = SCP_LIKE.exec(s);
  if (scp && !s.startsWith('/') && !s.startsWith('.')) return `${scp[1].toLowerCase()}${cleanPath(`/${scp[2]}`)}`;
  return localKey(s);
}

function networkKey(s: string): string {
  let u: URL;
  try {
    u = new URL(s);
  } catch (e) {
    fail('USAGE', `not a URL: ${s.replace(/\/\/[^@/]*@/, '//')}`, { cause: e });
  }
  const host = u.hostname.toLowerCase();
  if (host === '') fail('USAGE', `URL has no host: ${u.protocol}`);
  const port = u.port && u.port !== DEFAULT_PORTS[u.protocol] ? `:${u.port}` : '';
  return `${host}${port}${cleanPath(u.pathname)}`;
}

function cleanPath(p: string): string {
  let path = p.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  path = path.replace(/\.git$/i, '').replace(/\/+$/, '');
  return path;
}

function localKey(p: string): string {
  const abs = resolve(p).replace(/\/+$/, '');
  return `file://${abs === '' ? '/' : abs}`;
}

/** True when two source URLs name the same repository. */
export function sameSource(a: string, b: string): boolean {
  return normalizeSourceUrl(a) === normalizeSourceUrl(b);
}
