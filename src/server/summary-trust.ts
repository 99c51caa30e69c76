// Reading shared decisions: the rule a signed verification summary must pass to be accepted (trusted gate key,
// same policy and trust digests, younger than the positive TTL), and the lookup of one among a digest's referrers.
// The registry gate and the admission decider both accept summaries through these two functions.
import { verifyBundle, type Statement } from '../attest/index.js';
import { digestHex, type Digest } from '../core/digest.js';
import { BUNDLE_ARTIFACT_TYPES } from '../pipeline/image-referrers.js';
import { REFERRER_ANNOTATIONS } from '../pipeline/referrer.js';
import { MediaType, type ImageManifest, type RegistryClient } from '../registry/index.js';

/** The SLSA verification summary predicate type. */
export const VSA_PREDICATE_TYPE = 'https://slsa.dev/verification_summary/v1';
/** Where the gate writes the trust digest inside the predicate (VSA has no field for it). */
export const TRUST_FIELD = 'mlbuildTrustDigest';
const MAX_SUMMARIES = 16;
const DEFAULT_TTL_MS = 5 * 60_000;

/** What a summary must match to be accepted: the reader's own policy and trust digests, trusted gate keys, TTL. */
export interface SummaryTrust {
  policyDigest: Digest;
  trustDigest: string;
  /** Public keys (PEM) of gates whose summaries are accepted; none means no summary is. */
  keys: string[];
  /** Oldest summary accepted (ms, default 5 minutes). */
  ttlMs?: number;
}

/** Why a verified summary statement is not accepted for `digest`, or undefined when it is. */
export function summaryRuleProblem(trust: SummaryTrust, st: Statement, digest: Digest, now = Date.now()): string | undefined {
  const p = st.predicate as Record<string, unknown> & { policy?: { digest?: { sha256?: string } }; timeVerified?: string };
  if (st.predicateType !== VSA_PREDICATE_TYPE) return 'not a verification summary';
  if (!st.subject.some((s) => s.digest.sha256 === digestHex(digest))) return 'about another digest';
  if (p.verificationResult !== 'PASSED') return 'not a pass';
  if (p.policy?.digest?.sha256 !== digestHex(trust.policyDigest)) return 'for another policy';
  if (p[TRUST_FIELD] !== trust.trustDigest) return 'for another trust set';
  const at = Date.parse(p.timeVerified ?? '');
  const ttl = trust.ttlMs ?? DEFAULT_TTL_MS;
  if (!Number.isFinite(at) || at > now + 60_000 || now - at > ttl) return 'too old';
  return undefined;
}

/** True when `registry/name@digest` has a referrer summary that verifies against the trusted gate keys and passes the rule. */
export async function hasTrustedSummary(client: RegistryClient, repo: { registry: string; name: string }, digest: Digest, trust: SummaryTrust): Promise<boolean> {
  if (trust.keys.length === 0) return false;
  const listed = await client.listReferrers(repo, digest);
  // The annotation is unsigned: it only narrows what is fetched; the signed predicate type decides.
  const candidates = listed
    .filter((d) => BUNDLE_ARTIFACT_TYPES.includes(d.artifactType ?? '') && d.annotations?.[REFERRER_ANNOTATIONS.predicateType] === VSA_PREDICATE_TYPE)
    .slice(-MAX_SUMMARIES);
  for (const d of candidates.reverse()) {
    try {
      const m = (await client.getManifest(`${repo.registry}/${repo.name}@${d.digest}`, { accept: [MediaType.OCI_MANIFEST] })).manifest as ImageManifest;
      const layer = m.layers?.[0];
      if (m.subject?.digest !== digest || !layer) continue;
      const bytes = await client.readBlob(repo, layer.digest, { size: layer.size, maxBytes: 1024 * 1024 });
      const verified = verifyBundle(bytes, { keys: trust.keys });
      if (summaryRuleProblem(trust, verified.statement, digest) === undefined) return true;
    } catch {
      // An unreadable or untrusted summary is simply not used: the caller verifies instead.
    }
  }
  return false;
}
