// The `files` section of a policy: reading it, and judging file owners by it (modified package files, unaccounted files).
import type { Node } from 'yaml';
import { fileKind, type FileOwner, type FileOwners } from '../catalog/owners/index.js';
import type { FileView } from '../catalog/types.js';
import { ATLAS, type Finding } from './finding.js';
import type { FilesPolicy } from './types.js';
import type { YamlChecker } from './yaml-check.js';


/** A file finding and whether the policy makes it fail the check. */
export interface FileFinding extends Finding {
  fatal: boolean;
}

/** The files policy when a policy says nothing: modified package files are denied, unaccounted files only reported. */
export function defaultFilesPolicy(): FilesPolicy {
  return { unaccounted: { denyKinds: [], fatal: false }, packageModified: 'deny', unopenedArchives: 'warn' };
}

/** Reads a policy's `files` mapping strictly (unknown keys and wrong types fail at file:line:col). */
export function readFilesPolicy(c: YamlChecker, node: Node | null): FilesPolicy {
  const out = defaultFilesPolicy();
  const m = c.map(node, 'files', ['unaccounted', 'packageModified', 'unopenedArchives']);
  const ua = m.get('unopenedArchives');
  if (ua) {
    const v = c.str(ua.value, 'files.unopenedArchives');
    if (v !== 'deny' && v !== 'warn') c.fail(ua.value, 'files.unopenedArchives', `must be deny or warn, got ${JSON.stringify(v)}`);
    out.unopenedArchives = v;
  }
  const u = m.get('unaccounted');
  if (u) {
    const um = c.map(u.value, 'files.unaccounted', ['maxBytes', 'denyKinds', 'fatal']);
    const max = um.get('maxBytes');
    if (max) out.unaccounted.maxBytes = c.count(max.value, 'files.unaccounted.maxBytes');
    const deny = um.get('denyKinds');
    if (deny) out.unaccounted.denyKinds = c.strList(deny.value, 'files.unaccounted.denyKinds').map((k) => k.toLowerCase());
    const fatal = um.get('fatal');
    if (fatal) out.unaccounted.fatal = c.bool(fatal.value, 'files.unaccounted.fatal');
  }
  const pm = m.get('packageModified');
  if (pm) {
    const v = c.str(pm.value, 'files.packageModified');
    if (v !== 'deny' && v !== 'warn') c.fail(pm.value, 'files.packageModified', `must be deny or warn, got ${JSON.stringify(v)}`);
    out.packageModified = v;
  }
  return out;
}

/** One file as the files policy sees it: path (no leading slash), size, layer, owner and (for unaccounted files) kind. */
export interface OwnedFile {
  path: string;
  size: number;
  layer?: number;
  owner: FileOwner;
  kind?: string;
}

/** Judges files by their owners: modified package files, and unaccounted files over the size limit or of a denied kind. */
export function judgeFiles(policy: FilesPolicy, files: Iterable<OwnedFile>): FileFinding[] {
  const out: FileFinding[] = [];
  const { maxBytes, denyKinds, fatal } = policy.unaccounted;
  const denied = new Set(denyKinds);
  for (const { path, size, layer, owner: o, kind } of files) {
    const at = layer === undefined ? {} : { layer };
    if (o.kind === 'package' && o.state === 'modified') {
      out.push({
        kind: 'package-file-modified', path: `/${path}`, ...at, want: o.want, got: o.got, atlas: ATLAS.supplyChain, fatal: policy.packageModified === 'deny',
        message: `/${path}: package file modified (${o.id}): ${o.alg ?? 'digest'} want ${o.want ?? '?'}, got ${o.got ?? '?'}`,
      });
    }
    if (o.kind !== 'unaccounted') continue;
    const why = kind !== undefined && denied.has(kind) ? `its kind ${kind} is denied` : maxBytes !== undefined && size > maxBytes ? `${size} bytes is over the limit of ${maxBytes}` : undefined;
    if (why !== undefined) {
      out.push({ kind: 'unaccounted-file', path: `/${path}`, ...at, got: kind, atlas: ATLAS.supplyChain, fatal, message: `/${path}: unaccounted file (no package, model or build context owns it): ${why}` });
    }
  }
  return out;
}

/** Judges the owners of a scanned image's files (see judgeFiles). */
export function fileFindings(policy: FilesPolicy, owners: FileOwners, view: FileView): FileFinding[] {
  const files: OwnedFile[] = [];
  for (const [path, owner] of owners) {
    const f = view.get(path);
    if (f !== undefined) files.push({ path, size: f.size, layer: f.layer, owner, kind: owner.kind === 'unaccounted' ? fileKind(f) : undefined });
  }
  return judgeFiles(policy, files);
}
