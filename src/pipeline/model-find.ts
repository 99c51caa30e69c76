// Finding and checking a model's attestation: from a given file or from the store (by source and commit, else by
// the folder's subject digest), newest first; the first bundle whose signature verifies wins.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseModelStatement, type ModelStatement } from '../attest/model-statement.js';
import type { StoreEntry } from '../attest/store-entry.js';
import type { VerifiedSigner, VerifyOptions } from '../attest/verifier.js';
import { describeError, fail, isMlbuildError, type MlbuildError } from '../core/errors.js';
import type { Finding } from '../policy/finding.js';
import type { ModelStore } from './model-store.js';

/** A bundle to try, with where it came from. */
export interface Candidate {
  origin: string;
  bytes?: Buffer;
  entry?: StoreEntry;
  /** A file the user handed over: damage there is an input error (exit 2), not a finding. */
  given?: boolean;
}

/** The chosen attestation: verified, with its statement read as a model statement. */
export interface FoundAttestation {
  origin: string;
  signer: VerifiedSigner;
  model: ModelStatement;
}

/** Candidates from an `--attestation` file (NOT_FOUND when missing). */
export async function candidatesFromFile(path: string): Promise<Candidate[]> {
  try {
    return [{ origin: path, bytes: await readFile(path), given: true }];
  } catch (e) {
    fail('NOT_FOUND', `attestation file ${path}: ${describeError(e)}`, { cause: e });
  }
}

/** Candidates from the store for a source key (and commit), newest first; unreadable store files become findings. */
export async function candidatesFromStore(store: ModelStore, q: { source?: string; commit?: string; subjectDigest?: string }, findings: Finding[]): Promise<Candidate[]> {
  const query = q.source ? await store.findBySource(q.source, q.commit) : q.subjectDigest ? await store.findBySubject(q.subjectDigest) : { entries: [], problems: [] };
  for (const p of query.problems) findings.push({ kind: 'store-corrupt', message: p.message });
  return [...query.entries].reverse().map((entry) => ({ origin: entry.file.startsWith('oci://') ? entry.file : join(store.location, entry.file), entry }));
}

/**
 * A user-handed bundle that is malformed or altered after signing is bad input (BAD_BUNDLE, exit 2); one that is
 * intact but not from a trusted signer returns, to become a finding (exit 1) like a store bundle.
 */
async function refuseDamaged(origin: string, bytes: Buffer, e: MlbuildError, trust: VerifyOptions): Promise<void> {
  if (e.code !== 'VERIFY_FAILED') fail(e.code, `${origin}: ${e.message}`, { cause: e });
  const [{ parseBundle }, { signatureBroken }] = await Promise.all([import('../attest/bundle.js'), import('../attest/tamper.js')]);
  if (signatureBroken(parseBundle(bytes), trust.keys)) fail('BAD_BUNDLE', `${origin}: the signature does not match the bundle's content (altered or damaged after signing)`, { cause: e });
}

/** Verifies candidates in order; the first that verifies is returned, each failure becomes a finding. */
export async function chooseAttestation(store: ModelStore | undefined, candidates: Candidate[], trust: VerifyOptions, findings: Finding[]): Promise<FoundAttestation | undefined> {
  const failures: Finding[] = [];
  const { verifyBundle } = await import('../attest/verifier.js'); // sigstore loads while the workers hash
  for (const c of candidates) {
    let bytes = c.bytes;
    if (!bytes && c.entry && store) {
      try {
        bytes = (await store.readBundle(c.entry)).bytes;
      } catch (e) {
        failures.push({ kind: 'store-corrupt', path: c.entry.file, message: isMlbuildError(e) ? e.message : `store file ${c.entry.file}: ${describeError(e)}` });
        continue;
      }
    }
    if (!bytes) continue;
    try {
      const v = verifyBundle(bytes, trust);
      return { origin: c.origin, signer: v.signer, model: parseModelStatement(v.statement) };
    } catch (e) {
      if (!isMlbuildError(e) || !['VERIFY_FAILED', 'BAD_BUNDLE', 'BAD_KEY'].includes(e.code)) throw e;
      if (c.given) await refuseDamaged(c.origin, bytes, e, trust);
      const kind = e.code === 'VERIFY_FAILED' ? 'bad-signature' : 'bad-attestation';
      failures.push({ kind, path: c.origin, message: `${c.origin}: ${e.message}` });
    }
  }
  findings.push(...failures);
  return undefined;
}
