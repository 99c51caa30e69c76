// Shared decisions across stateless replicas: an approval is signed as an in-toto statement with a SLSA
// verification summary predicate and attached to the image as a referrer; another replica accepts one only when it
// is signed by a `--trust-gate` key, names the same policy and trust digests, and is younger than the positive TTL.
import { buildStatement, type Statement } from '../attest/index.js';
import { digestHex, type Digest } from '../core/digest.js';
import { describeError } from '../core/errors.js';
import { warn } from '../core/events.js';
import { publishAttestation } from '../pipeline/referrer.js';
import type { FetchedManifest } from '../registry/index.js';
import type { GateContext } from './context.js';
import { makeDecision, type Decision } from './decision.js';
import { hasTrustedSummary, TRUST_FIELD, VSA_PREDICATE_TYPE, type SummaryTrust } from './summary-trust.js';

/** The summary predicate type, re-exported where summaries are written. */
export { VSA_PREDICATE_TYPE };
/** The verifier id written into summaries. */
export const GATE_VERIFIER_ID = 'https://github.com/mlbuild/mlbuild/gate';

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

/** The gate's own acceptance settings for summaries. */
function summaryTrustOf(ctx: GateContext): SummaryTrust {
  return { policyDigest: ctx.policyDigest, trustDigest: ctx.trustDigest, keys: ctx.deps.trustGate ?? [], ttlMs: ctx.deps.ttlMs };
}

/** A decision reused from a trusted gate's signed summary, or undefined (then the core verifies). */
export async function sharedDecision(ctx: GateContext, name: string, fetched: FetchedManifest): Promise<Decision | undefined> {
  if ((ctx.deps.trustGate ?? []).length === 0) return undefined;
  const started = performance.now();
  const found = await hasTrustedSummary(ctx.deps.upstream, { registry: ctx.deps.upstreamHost, name }, fetched.digest, summaryTrustOf(ctx));
  return found ? makeDecision(name, fetched, true, [], 'summary', started) : undefined;
}
