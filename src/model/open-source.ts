// Opening a model source: clone git URLs into a temp folder, read an existing clone's remote and HEAD, or take a
// folder or file as it is; the caller always calls close() (temp clones are also removed on exit and SIGINT).
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { normalizeSourceUrl } from '../attest/source-url.js';
import { describeError, fail } from '../core/errors.js';
import { cloneAt, cloneFacts, hasGitLfs, lfsPull } from './git.js';
import { redactUrl, type ModelSourceSpec } from './source-spec.js';
import { makeTempFolder } from './temp.js';

/** An opened source: the folder to hash, what is known about its origin, and its closer. */
export interface OpenedModel {
  spec: ModelSourceSpec;
  /** The folder whose files are hashed. */
  root: string;
  /** For `file:` sources: the one root-level name to take. */
  only?: string[];
  /** The subject name: the normalized source without scheme, or the folder/file name. */
  name: string;
  /** The source URL (credentials removed) or absolute local path. */
  source?: string;
  /** The store key of the source (see normalizeSourceUrl). */
  sourceKey?: string;
  revision?: string;
  commit?: string;
  /** Set when the folder is a temporary clone of ours (so LFS content may be fetched into it). */
  gitClone: boolean;
  /** Notes for the report (e.g. LFS fetch failures). */
  notes: string[];
  close(): Promise<void>;
}

/** Opens a source; BAD_TARGET when it does not exist or cannot be cloned. */
export async function openModelSource(spec: ModelSourceSpec): Promise<OpenedModel> {
  switch (spec.kind) {
    case 'git-url':
      return openGitUrl(spec);
    case 'git-path': {
      const root = await existing(spec.path, 'dir');
      const { url, commit } = await cloneFacts(root);
      const source = url ? localOrRemote(url, root) : root;
      return base(spec, root, { source, commit, gitClone: false });
    }
    case 'dir':
      return base(spec, await existing(spec.path, 'dir'), { source: resolve(spec.path), gitClone: false });
    case 'file': {
      const file = await existing(spec.path, 'file');
      return { ...base(spec, dirname(file), { source: file, gitClone: false }), only: [basename(file)], name: basename(file) };
    }
  }
}

async function openGitUrl(spec: Extract<ModelSourceSpec, { kind: 'git-url' }>): Promise<OpenedModel> {
  const tmp = makeTempFolder('clone');
  try {
    const commit = await cloneAt(spec.url, tmp.path, spec.rev);
    const opened = base(spec, tmp.path, { source: redactUrl(spec.url), revision: spec.rev, commit, gitClone: true });
    opened.close = tmp.remove;
    return opened;
  } catch (e) {
    await tmp.remove();
    throw e;
  }
}

function base(spec: ModelSourceSpec, root: string, o: { source?: string; revision?: string; commit?: string; gitClone: boolean }): OpenedModel {
  const sourceKey = o.source ? normalizeSourceUrl(o.source) : undefined;
  const name = sourceKey && !sourceKey.startsWith('file://') ? sourceKey : basename(o.source ?? root);
  return { spec, root, name, source: o.source, sourceKey, revision: o.revision, commit: o.commit, gitClone: o.gitClone, notes: [], close: async () => undefined };
}

/** A clone's remote, made absolute when it is a local path (relative remotes are relative to the clone). */
function localOrRemote(url: string, root: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^[^@/\s]+@[^:/\s]+:/.test(url)) return redactUrl(url);
  return resolve(root, url);
}

async function existing(path: string, want: 'dir' | 'file'): Promise<string> {
  const abs = resolve(path);
  let st;
  try {
    st = await stat(abs);
  } catch (e) {
    fail('BAD_TARGET', `model source not found: ${path} (${describeError(e)})`);
  }
  if (want === 'dir' && !st.isDirectory()) fail('BAD_TARGET', `model source ${path} is not a folder (use file:${path})`);
  if (want === 'file' && !st.isFile()) fail('BAD_TARGET', `model source ${path} is not a regular file`);
  return abs;
}

/** Fetches LFS content into a clone when git-lfs is installed; returns a note when pointers will be used instead. */
export async function fetchLfsContent(m: OpenedModel): Promise<string | undefined> {
  if (!m.gitClone) return 'LFS content is not fetched into a folder mlbuild did not clone';
  if (!(await hasGitLfs())) return 'git-lfs is not installed';
  const err = await lfsPull(m.root);
  return err ? `git lfs pull failed: ${err}` : undefined;
}
