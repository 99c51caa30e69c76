// The `verify model` workflow: find the attestation, verify its signature offline, re-hash the files, compare,
// evaluate the policy, optionally cross-check the Hub; every problem is a finding in one report.
import { compareModel } from '../attest/model-compare.js';
import { folderSubjectDigest } from '../attest/model-statement.js';
import { normalizeSourceUrl } from '../attest/source-url.js';
import type { VerifyOptions } from '../attest/verifier.js';
import { noEvents, type EventSink } from '../core/events.js';
import type { ModelScan, OpenedModel } from '../model/index.js';
import { defaultPolicy, evaluatePolicy } from '../policy/evaluate.js';
import type { Finding } from '../policy/finding.js';
import { compareHubLicense, hubLicense, hubModelId } from '../policy/hub.js';
import type { Policy } from '../policy/types.js';
import type { AttestedFacts } from './model-attest.js';
import { candidatesFromFile, candidatesFromStore, chooseAttestation, type Candidate, type FoundAttestation } from './model-find.js';
import { scanOpened, startScan, withModelSource } from './model-open.js';
import { policyModel } from './model-policy-input.js';
import type { ModelStore } from './model-store.js';

/** Options of verifyModel. */
export interface VerifyModelOptions {
  /** Trusted keys, keyless identities and trusted root (the caller merges flags and policy signers). */
  trust: VerifyOptions;
  policy?: Policy;
  /** A bundle file to use instead of a store lookup. */
  attestationFile?: string;
  store?: ModelStore;
  /** Hugging Face API base URL for the license cross-check. */
  hubUrl?: string;
  events?: EventSink;
}

/** The machine report of a model verification; `ok` only when there are no findings. */
export interface ModelVerifyReport {
  ok: boolean;
  model: string;
  source?: string;
  commit?: string;
  attestation?: { origin: string; subjectDigest: string; signer: FoundAttestation['signer']; license?: string; commit?: string };
  files: number;
  findings: Finding[];
  notes: string[];
}

/** Verifies a model source; throws only for bad input (BAD_TARGET, NOT_FOUND, USAGE) and environment errors. */
export async function verifyModel(source: string, opts: VerifyModelOptions): Promise<ModelVerifyReport> {
  const events = opts.events ?? noEvents;
  return withModelSource(source, async (m) => {
    const findings: Finding[] = [];
    const storeProblems: Finding[] = [];
    const isLocal = !m.sourceKey || m.sourceKey.startsWith('file://');
    let candidates: Candidate[] = opts.attestationFile
      ? await candidatesFromFile(opts.attestationFile)
      : opts.store && m.source
        ? await candidatesFromStore(opts.store, { source: m.source, commit: m.commit }, storeProblems)
        : [];
    // Hash (worker threads) while the signature is checked (main thread); the subset to hash comes from the
    // candidate's own facts, read before verification only to choose files, never to judge them.
    const wanted = await peekFilter(opts.store, candidates[0]);
    events({ type: 'step', name: 'hashing', detail: m.name });
    const { scanning, started } = startScan(m, wanted, events);
    scanning.catch(() => undefined);
    await Promise.race([started, scanning]); // sigstore loads (blocking this thread) once the workers have their files
    let found = await chooseAttestation(opts.store, candidates, opts.trust, findings);
    let scan = await scanning;
    const facts = (found?.model.facts ?? {}) as AttestedFacts;
    if (found && !sameFilter(wanted, facts)) scan = await scanOpened(m, { include: facts.include, exclude: facts.exclude }, events);
    if (!found && !opts.attestationFile && opts.store && candidates.length === 0) {
      candidates = await candidatesFromStore(opts.store, { subjectDigest: subjectOf(scan) }, storeProblems);
      found = await chooseAttestation(opts.store, candidates, opts.trust, findings);
      if (found && (found.model.facts as AttestedFacts).include) scan = await scanOpened(m, found.model.facts as AttestedFacts, events);
    }
    // Unreadable store files fail the check only when no good attestation was found; else they are notes.
    if (found) m.notes.push(...storeProblems.map((p) => p.message));
    else findings.push(...dedupe(storeProblems));
    for (const p of scan.problems) findings.push({ kind: p.kind, path: p.path, message: `${p.path}: ${p.kind === 'symlink' ? 'symbolic link' : 'special file'} in the model folder (allow_symlinks is false)` });
    for (const l of scan.lfs) findings.push({ kind: 'lfs-pointer', path: l.path, want: l.oid, message: `${l.path}: Git LFS pointer without content (${l.size} bytes of weights not present)` });
    if (found) {
      findings.push(...identityFindings(m, found, isLocal));
      for (const d of compareModel(found.model, scan.files)) findings.push({ ...d, message: describeDiff(d) });
    }
    const model = policyModel(m.name, scan, found);
    findings.push(...evaluatePolicy(opts.policy ?? defaultPolicy(), { models: [model] }));
    if (opts.hubUrl && found) {
      const id = hubModelId(found.model.facts.source ?? m.source ?? '');
      if (id) {
        const f = compareHubLicense(id, model.license, await hubLicense(opts.hubUrl, id, found.model.facts.commit));
        if (f) findings.push(f);
      }
    }
    return {
      ok: findings.length === 0,
      model: m.name,
      source: m.source,
      commit: m.commit,
      attestation: found && { origin: found.origin, subjectDigest: found.model.subjectDigest, signer: found.signer, license: found.model.facts.license, commit: found.model.facts.commit },
      files: scan.files.length,
      findings,
      notes: m.notes,
    };
  });
}

async function peekFilter(store: ModelStore | undefined, c: Candidate | undefined): Promise<{ include?: string[]; exclude?: string[] }> {
  try {
    const bytes = c?.bytes ?? (c?.entry && store ? (await store.readBundle(c.entry)).bytes : undefined);
    if (!bytes) return {};
    const env = (JSON.parse(bytes.toString('utf8')) as { dsseEnvelope?: { payload?: string } }).dsseEnvelope;
    const st = JSON.parse(Buffer.from(env?.payload ?? '', 'base64').toString('utf8')) as { predicate?: Record<string, AttestedFacts> };
    const facts = st.predicate?.['dev.mlbuild/v1'] ?? {};
    return { include: strings(facts.include), exclude: strings(facts.exclude) };
  } catch {
    return {}; // an unreadable candidate is reported by chooseAttestation
  }
}

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;
}

function sameFilter(a: { include?: string[]; exclude?: string[] }, b: { include?: string[]; exclude?: string[] }): boolean {
  const key = (x?: string[]) => JSON.stringify(x ?? []);
  return key(a.include) === key(b.include) && key(a.exclude) === key(b.exclude);
}

function dedupe(list: Finding[]): Finding[] {
  const seen = new Set<string>();
  return list.filter((f) => !seen.has(f.message) && Boolean(seen.add(f.message)));
}

function subjectOf(scan: ModelScan): string | undefined {
  return folderSubjectDigest(scan.files);
}

function identityFindings(m: OpenedModel, found: FoundAttestation, isLocal: boolean): Finding[] {
  const facts = found.model.facts;
  if (isLocal || !facts.source || !m.sourceKey) return [];
  let attested: string;
  try {
    attested = normalizeSourceUrl(facts.source);
  } catch {
    attested = facts.source;
  }
  const out: Finding[] = [];
  if (attested !== m.sourceKey) out.push({ kind: 'wrong-model', want: m.sourceKey, got: attested, message: `${found.origin} attests ${facts.source}, not ${m.source}` });
  else if (m.commit && facts.commit && facts.commit.toLowerCase() !== m.commit) out.push({ kind: 'wrong-model', want: m.commit, got: facts.commit, message: `${found.origin} attests commit ${facts.commit}, not ${m.commit}` });
  return out;
}

function describeDiff(d: { kind: 'changed' | 'missing' | 'extra'; path: string; want?: string; got?: string }): string {
  if (d.kind === 'changed') return `${d.path}: changed (want sha256:${d.want}, got sha256:${d.got})`;
  if (d.kind === 'missing') return `${d.path}: missing (attested sha256:${d.want})`;
  return `${d.path}: extra file not in the attestation (sha256:${d.got})`;
}
