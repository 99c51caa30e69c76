// The models of a verified image SBOM, each matched with a signed model attestation (from the image's referrers or
// the attestation store) so the policy can require them: the attested files must be in the image, unchanged.
import {
  compareModel,
  folderSubjectDigest,
  normalizeSourceUrl,
  parseModelStatement,
  verifyBundle,
  type ModelStatement,
  type VerifiedSigner,
  type VerifyOptions,
} from '../attest/index.js';
import { describeError, isMlbuildError } from '../core/errors.js';
import { ATLAS, formatOfPath, type PolicyModel } from '../policy/index.js';
import type { ImageFinding } from './image-findings.js';
import type { TrustedStatement } from './image-referrers.js';
import type { StoreEntry } from '../attest/store-entry.js';
import type { ModelStore } from './model-store.js';
import { policySigner } from './model-policy-input.js';

/** A model component of the SBOM: its name, folder, source facts, license and files (relative to the folder). */
export interface SbomModel {
  name: string;
  path: string;
  source?: string;
  commit?: string;
  license: string | null;
  /** Files relative to the folder; `format` is the policy format their content was identified as (null: none). */
  files: { path: string; digest: string; size: number; format?: string | null }[];
  /** The subject digest an attestation of this model is known to have (a COPYed folder checked before the build). */
  attestedDigest?: string;
}

type Json = Record<string, unknown>;
const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v.filter((x) => typeof x === 'object' && x !== null) as Json[]) : []);
const prop = (c: Json, name: string): string | undefined => arr(c.properties).find((p) => p.name === name)?.value as string | undefined;

function licenseOf(c: Json): string | null {
  for (const l of arr(c.licenses)) {
    const lic = l.license as Json | undefined;
    const id = (lic?.id ?? lic?.name ?? l.expression) as string | undefined;
    if (typeof id === 'string' && id !== '') return id;
  }
  return null;
}

/** The one policy format a file counts as: pickle when its content holds one (it runs code), else its format. */
export function policyFormatOf(formats: readonly string[]): string | null {
  return formats.includes('pickle') ? 'pickle' : (formats[0] ?? null);
}

/** Reads the machine-learning-model components of a CycloneDX SBOM object. */
export function sbomModels(sbom: Json): SbomModel[] {
  return arr(sbom.components)
    .filter((c) => c.type === 'machine-learning-model')
    .map((c) => {
      const path = (prop(c, 'mlbuild:model:path') ?? '').replace(/^\/+/, '');
      const files = arr(c.components)
        .filter((f) => f.type === 'file' && typeof f.name === 'string')
        .map((f) => {
          const abs = (f.name as string).replace(/^\/+/, '');
          const rel = path && abs.startsWith(`${path}/`) ? abs.slice(path.length + 1) : abs;
          const digest = (arr(f.hashes).find((h) => h.alg === 'SHA-256')?.content as string | undefined) ?? '';
          const formats = prop(f, 'mlbuild:file:policy-formats');
          const identified = prop(f, 'mlbuild:file:format') !== undefined;
          return { path: rel, digest, size: Number(prop(f, 'mlbuild:file:size') ?? 0), format: identified ? policyFormatOf((formats ?? '').split(',').filter(Boolean)) : undefined };
        });
      return { name: String(c.name ?? path), path, source: prop(c, 'mlbuild:source:url'), commit: prop(c, 'mlbuild:source:commit'), license: licenseOf(c), files };
    });
}

/** The OMS subject digest the model's files would have if the whole folder was attested. */
function folderDigest(m: SbomModel): string | undefined {
  // Every file must carry a digest: a folder with an unhashed file cannot be attested as a whole.
  return m.files.every((f) => /^[a-f0-9]{64}$/.test(f.digest)) ? folderSubjectDigest(m.files) : undefined;
}

function sameSource(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  try {
    return normalizeSourceUrl(a) === normalizeSourceUrl(b);
  } catch {
    return a === b;
  }
}

interface Candidate {
  origin: string;
  model: ModelStatement;
  signer: VerifiedSigner;
}

/** True when most of the candidate's attested files are in the folder by name: the same model, maybe changed. */
function sameFileNames(c: Candidate, m: SbomModel): boolean {
  const names = new Set(m.files.map((f) => f.path));
  const want = c.model.predicate.resources.map((r) => r.name);
  return want.length > 0 && want.filter((n) => names.has(n)).length * 2 >= want.length;
}

async function storeCandidates(store: ModelStore, m: SbomModel, trust: VerifyOptions, notes: string[], otherSources: readonly string[] = []): Promise<Candidate[]> {
  const out = await storeCandidatesOf(store, m, trust, notes);
  if (out.length > 0 || m.source) return out;
  // A folder that lost its origin (.git removed, moved away from where it was fetched): compare it with the
  // attestations of the sources this build fetched, so a changed model is reported as changed, never as merely
  // unattested (which --allow-unattested would let through).
  for (const src of otherSources) {
    const q = await store.findBySource(src);
    for (const c of await verifiedCandidates(store, q.entries, trust, notes)) if (sameFileNames(c, m)) out.push(c);
  }
  return out;
}

async function verifiedCandidates(store: ModelStore, entries: readonly StoreEntry[], trust: VerifyOptions, notes: string[]): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const entry of [...entries].reverse()) {
    try {
      const v = verifyBundle((await store.readBundle(entry)).bytes, trust);
      out.push({ origin: `${store.location}/${entry.file}`, model: parseModelStatement(v.statement), signer: v.signer });
    } catch (e) {
      if (!isMlbuildError(e)) throw e;
      notes.push(`model attestation ${entry.file} ignored: ${describeError(e)}`);
    }
  }
  return out;
}

async function storeCandidatesOf(store: ModelStore, m: SbomModel, trust: VerifyOptions, notes: string[]): Promise<Candidate[]> {
  const digest = folderDigest(m);
  let q = m.source ? await store.findBySource(m.source, m.commit) : digest ? await store.findBySubject(digest) : { entries: [], problems: [] };
  // No attestation of this commit: compare with the source's other attested revisions, so a changed upstream model
  // is reported file by file (changed, missing, extra) instead of only as unattested.
  if (q.entries.length === 0 && m.source && m.commit) q = await store.findBySource(m.source);
  if (q.entries.length === 0 && m.source && digest) q = await store.findBySubject(digest);
  if (q.entries.length === 0 && m.attestedDigest) q = await store.findBySubject(m.attestedDigest);
  return verifiedCandidates(store, q.entries, trust, notes);
}

/** One SBOM model with the attestation that matched it (if any) and the differences that stopped others. */
export interface MatchedModel {
  sbom: SbomModel;
  attestation?: { origin: string; subjectDigest: string; signer: VerifiedSigner; digests: string[] };
  policy: PolicyModel;
}

const isPartial = (c: Candidate): boolean => {
  const f = c.model.facts as { include?: unknown; exclude?: unknown };
  return Boolean(f.include || f.exclude);
};

/**
 * Whether candidate `c` may vouch for model `m`. A model pinned to a commit matches only attestations of that commit
 * (other revisions only explain what changed); an unpinned folder matches only when every file matches. A partial
 * attestation (--include/--exclude) matches a pinned folder whose attested files are all there; the files it leaves
 * out stay unaccounted for and are judged by the content gate.
 */
function mayMatch(m: SbomModel, c: Candidate, diffs: ReturnType<typeof compareModel>): boolean {
  // A lone file attested with `file:` may be copied under another name: its content is what was attested.
  const res = c.model.predicate.resources;
  if (m.files.length === 1 && res.length === 1 && !m.commit && m.files[0]!.digest === res[0]!.digest) return true;
  const commit = c.model.facts.commit;
  if (m.commit && commit && commit.toLowerCase() !== m.commit.toLowerCase()) return false;
  const pinned = (m.commit !== undefined && commit !== undefined) || (m.attestedDigest !== undefined && m.attestedDigest === c.model.subjectDigest);
  const tolerated = pinned && isPartial(c) ? diffs.filter((x) => x.kind !== 'extra') : diffs;
  return tolerated.length === 0;
}

/** Matches every SBOM model with a trusted model attestation; mismatching candidates become findings. */
export async function matchModels(
  models: SbomModel[],
  referrerModels: TrustedStatement[],
  opts: { store?: ModelStore; trust: VerifyOptions; notes: string[]; findings: ImageFinding[]; fetchedSources?: readonly string[] },
): Promise<MatchedModel[]> {
  const fromReferrers: Candidate[] = [];
  for (const t of referrerModels) {
    try {
      fromReferrers.push({ origin: `referrer ${t.check.referrer}`, model: parseModelStatement(t.statement), signer: t.signer });
    } catch (e) {
      opts.notes.push(`referrer ${t.check.referrer}: ${describeError(e)}`);
    }
  }
  const out: MatchedModel[] = [];
  for (const m of models) {
    const digest = folderDigest(m);
    const related = (c: Candidate): boolean => c.model.subjectDigest === digest || sameSource(c.model.facts.source, m.source) || c.model.name === m.name;
    const candidates = [...fromReferrers.filter(related), ...(opts.store ? await storeCandidates(opts.store, m, opts.trust, opts.notes, opts.fetchedSources) : [])];
    let found: Candidate | undefined;
    const diffs: ImageFinding[] = [];
    for (const c of candidates) {
      const d = compareModel(c.model, m.files);
      if (mayMatch(m, c, d)) {
        found = c;
        break;
      }
      for (const x of d) diffs.push({ kind: 'model-mismatch', fatal: true, atlas: ATLAS.compromisedModel, model: m.name, path: x.path, want: x.want, got: x.got, message: `${m.name}: /${m.path}/${x.path} is ${x.kind} compared with ${c.origin}` });
      if (d.length === 0) diffs.push({ kind: 'model-mismatch', fatal: true, atlas: ATLAS.compromisedModel, model: m.name, want: c.model.facts.commit, got: m.commit, message: `${m.name}: /${m.path} is commit ${m.commit ?? '?'}, but ${c.origin} attests commit ${c.model.facts.commit ?? '?'}` });
    }
    if (!found) opts.findings.push(...dedupe(diffs));
    const attestation = found && { origin: found.origin, subjectDigest: found.model.subjectDigest, signer: found.signer, digests: found.model.predicate.resources.map((r) => r.digest) };
    out.push({ sbom: m, attestation, policy: toPolicyModel(m, found) });
  }
  return out;
}

function dedupe(list: ImageFinding[]): ImageFinding[] {
  const seen = new Set<string>();
  return list.filter((f) => {
    const k = `${f.path ?? ''}|${f.want ?? ''}|${f.got ?? ''}|${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function toPolicyModel(m: SbomModel, found?: Candidate): PolicyModel {
  // The content decides the format; the name only when the content was never identified (an older SBOM).
  const files = m.files.map((f) => ({ path: f.path, digest: f.digest, size: f.size, format: f.format !== undefined ? f.format : formatOfPath(f.path) }));
  const facts = found?.model.facts ?? {};
  const s = found?.signer;
  return {
    name: m.name,
    source: facts.source ?? m.source ?? null,
    revision: facts.revision ?? null,
    commit: facts.commit ?? m.commit ?? null,
    license: facts.license ?? m.license,
    card: facts.card ?? {},
    subjectDigest: found?.model.subjectDigest ?? null,
    attested: found !== undefined,
    signer: policySigner(s),
    files,
    formats: [...new Set(files.map((f) => f.format).filter((f): f is string => f !== null))].sort(),
  };
}
