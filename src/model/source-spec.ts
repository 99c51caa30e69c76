// Model source specs: `git:URL[@REV]`, `git:PATH`, `dir:PATH`, `file:PATH`, parsed into a tagged value.
import { fail } from '../core/errors.js';

/** A parsed SOURCE argument. */
export type ModelSourceSpec =
  | { kind: 'git-url'; url: string; rev?: string }
  | { kind: 'git-path'; path: string }
  | { kind: 'dir'; path: string }
  | { kind: 'file'; path: string };

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;
const SCP_LIKE = /^[^@/\s]+@[^:/\s]+:(?!\/\/)/;

/** Parses a SOURCE argument; USAGE naming the accepted forms when it has no known scheme. */
export function parseModelSource(spec: string): ModelSourceSpec {
  const m = /^(git|dir|file):(.+)$/.exec(spec.trim());
  if (!m) fail('USAGE', `model source ${JSON.stringify(spec)} needs a scheme: git:URL[@REV], git:PATH, dir:PATH or file:PATH`);
  const [, scheme, rest] = m;
  if (scheme === 'dir') return { kind: 'dir', path: rest };
  if (scheme === 'file') return { kind: 'file', path: rest };
  if (!URL_LIKE.test(rest) && !SCP_LIKE.test(rest)) return { kind: 'git-path', path: rest };
  const at = rest.lastIndexOf('@');
  const slash = rest.lastIndexOf('/');
  if (at > slash && slash >= 0 && at < rest.length - 1) return { kind: 'git-url', url: rest.slice(0, at), rev: rest.slice(at + 1) };
  return { kind: 'git-url', url: rest.replace(/@$/, '') };
}

/** The source written back as text (credentials in URLs removed), for messages and reports. */
export function formatModelSource(s: ModelSourceSpec): string {
  switch (s.kind) {
    case 'git-url':
      return `git:${redactUrl(s.url)}${s.rev ? `@${s.rev}` : ''}`;
    case 'git-path':
      return `git:${s.path}`;
    case 'dir':
      return `dir:${s.path}`;
    case 'file':
      return `file:${s.path}`;
  }
}

/** A URL with any `user:password@` removed. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
}
