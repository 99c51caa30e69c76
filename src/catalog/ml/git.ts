// Where a model folder came from: the git clone's remote and commit, or the Hugging Face cache layout's name and commit.
import type { FileView } from '../types.js';

/** A remote URL split into the parts a purl needs (credentials removed). */
export interface RemoteRef {
  url: string;
  host: string;
  namespace?: string;
  name: string;
  /** True when the URL points at a Hugging Face dataset repository (`/datasets/…`). */
  dataset: boolean;
}

const SHA_RE = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;

/** The captured text of a file at `path` (its probe facts), or undefined when absent or not captured. */
export function textAt(view: FileView, path: string): string | undefined {
  const f = view.resolve(path);
  const text = f?.type === 'file' ? f.facts?.text : undefined;
  return typeof text === 'string' ? text : undefined;
}

/** Splits a git remote URL (https, ssh, scp-like) into host, namespace and name; credentials are dropped. */
export function parseRemoteUrl(raw: string): RemoteRef | undefined {
  let host: string;
  let path: string;
  let url: string;
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/\/)(.+)$/.exec(raw);
  try {
    const u = new URL(raw);
    u.username = '';
    u.password = '';
    host = u.hostname.toLowerCase();
    path = decodeURIComponent(u.pathname);
    url = u.toString();
  } catch {
    if (!scp) return undefined;
    host = scp[1]!.toLowerCase();
    path = scp[2]!;
    url = `${host}:${path}`;
  }
  const parts = path.replace(/\.git\/?$/, '').split('/').filter((p) => p !== '');
  const dataset = parts[0] === 'datasets' && parts.length >= 2;
  if (dataset || parts[0] === 'models' || parts[0] === 'spaces') parts.shift();
  const name = parts.pop();
  if (!name) return undefined;
  // The owner is the segment before the name (path prefixes of self-hosted servers are not part of it).
  const namespace = parts.at(-1);
  return { url, host, name, dataset, ...(namespace ? { namespace } : {}) };
}

/** The URL of the `origin` remote (or the first remote) in a `.git/config` text. */
export function remoteFromGitConfig(text: string): string | undefined {
  let section = '';
  let first: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const s = /^\s*\[([^\]]+)\]/.exec(line);
    if (s) section = s[1]!.trim();
    const kv = /^\s*url\s*=\s*(.+?)\s*$/.exec(line);
    if (kv && section.startsWith('remote')) {
      if (section === 'remote "origin"') return kv[1];
      first ??= kv[1];
    }
  }
  return first;
}

/** The commit a git folder's HEAD points at: a detached sha, or a branch through refs/heads or packed-refs. */
export function gitHeadCommit(view: FileView, gitDir: string): string | undefined {
  const head = textAt(view, `${gitDir}/HEAD`)?.trim();
  if (!head) return undefined;
  if (SHA_RE.test(head)) return head.toLowerCase();
  const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
  if (!ref || ref.includes('..')) return undefined;
  const loose = textAt(view, `${gitDir}/${ref}`)?.trim();
  if (loose && SHA_RE.test(loose)) return loose.toLowerCase();
  for (const line of (textAt(view, `${gitDir}/packed-refs`) ?? '').split(/\r?\n/)) {
    const [sha, name] = line.trim().split(/\s+/);
    if (name === ref && sha && SHA_RE.test(sha)) return sha.toLowerCase();
  }
  return undefined;
}

/** A Hugging Face cache snapshot folder (`…/models--org--name/snapshots/<commit>`) parsed, or undefined. */
export interface HfCacheRef {
  kind: 'model' | 'dataset';
  namespace?: string;
  name: string;
  commit: string;
  /** The repo folder (`…/models--org--name`). */
  repoDir: string;
}

/** Parses a path of a Hugging Face cache snapshot folder (the folder itself, not a file in it). */
export function hfCacheSnapshot(dir: string): HfCacheRef | undefined {
  const m = /^(.*?)(?:^|\/)(models|datasets)--([^/]+)\/snapshots\/([^/]+)$/.exec(dir);
  if (!m) return undefined;
  // The folder is "models--" + repo id with "/" written as "--" (hub names cannot contain "--").
  const [first, ...rest] = m[3]!.split('--');
  const segs = rest.length > 0 ? [first!] : [];
  const name = rest.length > 0 ? rest.join('--') : first!;
  const repoDir = dir.slice(0, dir.length - `/snapshots/${m[4]}`.length);
  const kind = m[2] === 'models' ? 'model' : 'dataset';
  return { kind, name, commit: m[4]!.toLowerCase(), repoDir, ...(segs.length > 0 ? { namespace: segs.join('--') } : {}) };
}

/** True for paths inside a Hugging Face cache's content-addressed blob store (`…/models--x/blobs/<sha>`). */
export function isHfCacheBlob(path: string): boolean {
  return /(?:^|\/)(?:models|datasets|spaces)--[^/]+\/blobs\/[^/]+$/.test(path);
}
