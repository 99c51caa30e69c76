// Shared decisions across stateless replicas: an approval is signed as an in-toto statement with a SLSA
// verification summary predicate and attached to the image as a referrer; another replica accepts one only when it
// is signed by a `--trust-gate` key, names the same policy and trust digests, and is younger than the positive TTL.
import { buildStatement, verifyBundle, type Statement } from '../attest/index.js';
import { digestHex, type Digest } from '../core/digest.js';
import { describeError } from '../core/errors.js';
import { warn } from '../core/events.js';
import { BUNDLE_ARTIFACT_TYPES } from '../pipeline/image-referrers.js';
import { publishAttestation, REFERRER_ANNOTATIONS } from '../pipeline/referrer.js';
import { MediaType, type FetchedManifest, type ImageManifest } from '../registry/index.js';
import type { GateContext } from './context.js';
import { makeDecision, type Decision } from './decision.js';

/** The SLSA verification summary predicate type. */
export const VSA_PREDICATE_TYPE = 'https://slsa.dev/verification_summary/v1';
/** The verifier id written into summaries. */
export const GATE_VERIFIER_ID = 'https://github.com/mlbuild/mlbuild/gate';
/** Where the gate writes the trust digest inside the predicate (VSA has no field for it). */
const TRUST_FIELD = 'mlbuildTrustDigest';
const MAX_SUMMARIES = 16;

/** The predicate of a gate's verification summary. */
export interface GateSummaryPredicate {
  verifier: { id: string };
  timeVerified: string;
  resourceUri: string;
  policy: { uri: string; digest: { sha256: string } };
  verificationResult: 'PASSED' | 'FAILED';
  verifiedLevels: string[];
  [TRUST_FIELD]: string;
}

/** The statement a gate signs for an approved digest. */
export function summaryStatement(ctx: GateContext, name: string, digest: Digest, at = new Date()): Statement<GateSummaryPredicate> {
  const repository = `${ctx.deps.upstreamHost}/${name}`;
  return buildStatement([{ name: repository, digest }], VSA_PREDICATE_TYPE, {
    verifier: { id: GATE_VERIFIER_ID },
    timeVerified: at.toISOString(),
    resourceUri: `oci://${repository}@${digest}`,
    policy: { uri: 'mlbuild:gate-policy', digest: { sha256: digestHex(ctx.policyDigest) } },
    verificationResult: 'PASSED',
    verifiedLevels: [],
    [TRUST_FIELD]: ctx.trustDigest,
  });
}

/** Signs and attaches a summary of an approval (when the gate has a summary key); failures only warn. */
export async function publishSummary(ctx: GateContext, name: string, d: Decision): Promise<void> {
  const signer = ctx.deps.summarySigner;
  if (!signer) return;
  try {
    const bundle = await signer.signStatement(summaryStatement(ctx, name, d.digest));
    const subject = { mediaType: d.manifest.mediaType, digest: d.digest, size: d.manifest.size };
    await publishAttestation(ctx.deps.upstream, `${ctx.deps.upstreamHost}/${name}@${d.digest}`, subject, bundle, VSA_PREDICATE_TYPE);
  } catch (e) {
    warn(ctx.events, `gate: could not attach the verification summary of ${name}@${d.digest}: ${describeError(e)}`);
  }
}

/** Why a verified summary is not accepted, or undefined when it is. */
export function summaryProblem(ctx: GateContext, st: Statement, digest: Digest, now = Date.now()): string | undefined {
  const p = st.predicate as Partial<GateSummaryPredicate>;
  if (st.predicateType !== VSA_PREDICATE_TYPE) return 'not a verification summary';
  if (!st.subject.some((s) => s.digest.sha256 === digestHex(digest))) return 'about another digest';
  if (p.verificationResult !== 'PASSED') return 'not a pass';
  if (p.policy?.digest?.sha256 !== digestHex(ctx.policyDigest)) return 'for another policy';
  if (p[TRUST_FIELD] !== ctx.trustDigest) return 'for another trust set';
  const at = Date.parse(p.timeVerified ?? '');
  const ttl = ctx.deps.ttlMs ?? 5 * 60_000;
  if (!Number.isFinite(at) || at > now + 60_000 || now - at > ttl) return 'too old';
  return undefined;
}

/** A decision reused from a trusted gate's signed summary, or undefined (then the core verifies). */
export async function sharedDecision(ctx: GateContext, name: string, fetched: FetchedManifest): Promise<Decision | undefined> {
  const keys = ctx.deps.trustGate ?? [];
  if (keys.length === 0) return undefined;
  const started = performance.now();
  const repo = { registry: ctx.deps.upstreamHost, name };
  const listed = await ctx.deps.upstream.listReferrers(repo, fetched.digest);
  // The annotation is unsigned: it only narrows what is fetched; the signed predicate type decides.
  const candidates = listed
    .filter((d) => BUNDLE_ARTIFACT_TYPES.includes(d.artifactType ?? '') && d.annotations?.[REFERRER_ANNOTATIONS.predicateType] === VSA_PREDICATE_TYPE)
    .slice(-MAX_SUMMARIES);
  for (const d of candidates.reverse()) {
    try {
      const m = (await ctx.deps.upstream.getManifest(`${repo.registry}/${name}@${d.digest}`, { accept: [MediaType.OCI_MANIFEST] })).manifest as ImageManifest;
      const layer = m.layers?.[0];
      if (m.subject?.digest !== fetched.digest || !layer) continue;
      const bytes = await ctx.deps.upstream.readBlob(repo, layer.digest, { size: layer.size, maxBytes: 1024 * 1024 });
      const verified = verifyBundle(bytes, { keys });
      if (summaryProblem(ctx, verified.statement, fetched.digest) === undefined) return makeDecision(name, fetched, true, [], 'summary', started);
    } catch {
      // An unreadable or untrusted summary is simply not used: the core verifies instead.
    }
  }
  return undefined;
}
