// The model attestation: an OpenSSF model signing (OMS) v1.0 compatible statement, plus mlbuild's facts.
import { createHash } from 'node:crypto';
import { fail } from '../core/errors.js';
import { buildStatement, isObject, type Statement } from './statement.js';

/** The OMS v1.0 predicate type. */
export const OMS_PREDICATE_TYPE = 'https://model_signing/signature/v1.0';
/** The one predicate key under which mlbuild keeps its own facts (OMS readers ignore unknown keys). */
export const MLBUILD_PREDICATE_KEY = 'dev.mlbuild/v1';
/** Paths never hashed: relative to the model root, each matching itself and everything below it. */
export const DEFAULT_IGNORE_PATHS = ['.git', '.gitattributes', '.github', '.gitignore'];

/** One hashed file of the model, as OMS lists it (digest is lowercase hex). */
export interface ModelResource {
  name: string;
  algorithm: 'sha256';
  digest: string;
}

/** mlbuild's facts about where a model came from; every field optional. */
export interface ModelFacts {
  /** The source as given (e.g. `https://huggingface.co/org/model`); the store also keeps it normalized. */
  source?: string;
  /** The revision asked for (branch, tag or commit). */
  revision?: string;
  /** The resolved git commit, lowercase hex. */
  commit?: string;
  /** SPDX license id or expression, from the model card. */
  license?: string;
  /** A summary of the model card front matter (pipeline_tag, library_name, base_model, datasets, …). */
  card?: Record<string, unknown>;
  /** Files that were Git LFS pointers: their digest is the pointer's `oid`, checked against the fetched weights. */
  lfs?: { path: string; oid: string; size: number }[];
  /** The `--include` globs when only a subset of the folder was signed. */
  include?: string[];
}

/** The OMS v1.0 predicate with mlbuild's namespaced facts. */
export interface ModelPredicate {
  serialization: { method: 'files'; hash_type: 'sha256'; allow_symlinks: false; ignore_paths: string[] };
  resources: ModelResource[];
  [MLBUILD_PREDICATE_KEY]?: ModelFacts;
}

/** A model file and its sha256 (hex or `sha256:hex`). */
export interface ModelFile {
  path: string;
  digest: string;
}

/** Orders paths by their `/`-separated components, each compared by code point (as Python's PurePosixPath sorts). */
export function comparePathComponents(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const c = compareCodePoints(pa[i], pb[i]);
    if (c !== 0) return c;
  }
  return pa.length - pb.length;
}

function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const ca = Array.from(a, (ch) => ch.codePointAt(0) as number);
  const cb = Array.from(b, (ch) => ch.codePointAt(0) as number);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) if (ca[i] !== cb[i]) return ca[i] - cb[i];
  return ca.length - cb.length;
}

/** The OMS subject digest: SHA-256 over the raw 32-byte resource digests concatenated in listed order (hex). */
export function omsSubjectDigest(resources: { digest: string }[]): string {
  const h = createHash('sha256');
  for (const r of resources) h.update(Buffer.from(hexDigest(r.digest, 'resource'), 'hex'));
  return h.digest('hex');
}

/**
 * The subject digest a whole folder would be attested with: its files minus the OMS ignore paths, sorted by path
 * components. Undefined when no file is left or a digest is unreadable (the one place this is computed).
 */
export function folderSubjectDigest(files: readonly { path: string; digest: string }[]): string | undefined {
  const kept = files.filter((f) => !isIgnoredPath(f.path, DEFAULT_IGNORE_PATHS));
  if (kept.length === 0 || !kept.every((f) => /^(sha256:)?[a-f0-9]{64}$/.test(f.digest))) return undefined;
  return omsSubjectDigest([...kept].sort((a, b) => comparePathComponents(a.path, b.path)));
}

/** True when `path` is one of `ignorePaths` or lies below one. */
export function isIgnoredPath(path: string, ignorePaths: string[]): boolean {
  return ignorePaths.some((p) => {
    const q = p.replace(/\/+$/, '');
    return q !== '' && (path === q || path.startsWith(`${q}/`));
  });
}

/** Builds the model statement: resources sorted by path components, ignored paths dropped, one subject. */
export function buildModelStatement(opts: {
  name: string;
  files: ModelFile[];
  ignorePaths?: string[];
  facts?: ModelFacts;
}): Statement<ModelPredicate> {
  const ignorePaths = opts.ignorePaths ?? DEFAULT_IGNORE_PATHS;
  const resources = toResources(opts.files.filter((f) => !isIgnoredPath(f.path, ignorePaths)), 'USAGE');
  if (resources.length === 0) fail('USAGE', `model ${opts.name} has no files to sign`);
  const predicate: ModelPredicate = {
    serialization: { method: 'files', hash_type: 'sha256', allow_symlinks: false, ignore_paths: [...ignorePaths] },
    resources,
  };
  if (opts.facts) predicate[MLBUILD_PREDICATE_KEY] = opts.facts;
  return buildStatement([{ name: opts.name, digest: omsSubjectDigest(resources) }], OMS_PREDICATE_TYPE, predicate);
}

/** Checks names and digests, refuses duplicates, and sorts by path components. */
export function toResources(files: ModelFile[], code: 'USAGE' | 'BAD_BUNDLE' = 'USAGE'): ModelResource[] {
  const seen = new Set<string>();
  const out = files.map((f) => {
    checkRelativePath(f.path, code);
    if (seen.has(f.path)) fail(code, `model file listed twice: ${f.path}`);
    seen.add(f.path);
    return { name: f.path, algorithm: 'sha256' as const, digest: hexDigest(f.digest, f.path, code) };
  });
  return out.sort((a, b) => comparePathComponents(a.name, b.name));
}

function checkRelativePath(p: unknown, code: 'USAGE' | 'BAD_BUNDLE'): void {
  if (typeof p !== 'string' || p === '' || p.startsWith('/') || p.includes('\\') || p.includes('\0')) {
    fail(code, `model file path is not a relative POSIX path: ${JSON.stringify(p)}`);
  }
  if (p.split('/').some((c) => c === '' || c === '.' || c === '..')) fail(code, `model file path is not normalized: ${p}`);
}

/** A sha256 as lowercase hex, from hex or `sha256:hex`. */
export function hexDigest(d: unknown, what: string, code: 'USAGE' | 'BAD_BUNDLE' = 'USAGE'): string {
  const s = typeof d === 'string' ? d.toLowerCase().replace(/^sha256:/, '') : '';
  if (!/^[a-f0-9]{64}$/.test(s)) fail(code, `${what}: not a sha256 digest: ${String(d).slice(0, 80)}`);
  return s;
}

/** A model statement read back: the checked predicate and the subject. */
export interface ModelStatement {
  name: string;
  subjectDigest: string;
  predicate: ModelPredicate;
  facts: ModelFacts;
}

/** Reads an OMS v1.0 statement, checking that the subject digest matches its resources; BAD_BUNDLE otherwise. */
export function parseModelStatement(st: Statement<unknown>): ModelStatement {
  if (st.predicateType !== OMS_PREDICATE_TYPE) fail('BAD_BUNDLE', `not a model statement: predicateType ${st.predicateType}`);
  if (st.subject.length !== 1) fail('BAD_BUNDLE', `model statement has ${st.subject.length} subjects, want 1`);
  const p = st.predicate;
  if (!isObject(p)) fail('BAD_BUNDLE', 'model statement predicate is not an object');
  const ser = p.serialization;
  if (!isObject(ser) || ser.method !== 'files' || ser.hash_type !== 'sha256') {
    fail('BAD_BUNDLE', 'model statement serialization is not files/sha256');
  }
  if (!Array.isArray(p.resources)) fail('BAD_BUNDLE', 'model statement has no resources');
  const files = p.resources.map((r, i) => {
    if (!isObject(r) || r.algorithm !== 'sha256') fail('BAD_BUNDLE', `model resource #${i} is not a sha256 resource`);
    return { path: String(r.name), digest: hexDigest(r.digest, `model resource ${String(r.name)}`, 'BAD_BUNDLE') };
  });
  const resources = toResources(files, 'BAD_BUNDLE');
  const listed = files.map((f) => ({ digest: f.digest })); // the subject covers the order as listed
  const subjectDigest = st.subject[0].digest.sha256;
  if (omsSubjectDigest(listed) !== subjectDigest) fail('BAD_BUNDLE', 'model statement subject digest does not match its resources');
  const ignore = Array.isArray(ser.ignore_paths) ? ser.ignore_paths.filter((x): x is string => typeof x === 'string') : [];
  const facts = isObject(p[MLBUILD_PREDICATE_KEY]) ? (p[MLBUILD_PREDICATE_KEY] as ModelFacts) : {};
  const predicate: ModelPredicate = {
    serialization: { method: 'files', hash_type: 'sha256', allow_symlinks: false, ignore_paths: ignore },
    resources,
    [MLBUILD_PREDICATE_KEY]: facts,
  };
  return { name: st.subject[0].name, subjectDigest, predicate, facts };
}
