// The `verify image` workflow (verification before pull): resolve the reference to a digest once, check every
// attestation referrer offline, bind it to that digest, and evaluate the policy over the verified SBOM.
import type { VerifiedSigner, VerifyOptions } from '../attest/index.js';
import { fail, noEvents, type Digest, type EventSink } from '../core/index.js';
import { evaluatePolicy, type Policy } from '../policy/index.js';
import { isIndex, parseReference, RegistryClient, type Descriptor, type ImageReference, type RegistryClientOptions } from '../registry/index.js';
import { contentFilesOfSbom, gateSets, judgeContent } from './content-gate.js';
import { fromPolicy, type ImageFinding } from './image-findings.js';
import { matchModels, sbomModels, type MatchedModel } from './image-models.js';
import { scanReferrers, type ReferrerCheck, type TrustedStatement } from './image-referrers.js';
import type { ModelStore } from './model-store.js';

/** Options of verifyImage. */
export interface VerifyImageOptions {
  /** Trusted keys, keyless identities and trusted root (the caller merges flags and policy signers). */
  trust: VerifyOptions;
  /** Evaluated over the verified SBOM; without one only signature and subject binding are checked. */
  policy?: Policy;
  platform?: string;
  /** Where model attestations are looked up besides the image's referrers. */
  store?: ModelStore;
  registry?: RegistryClientOptions;
  /** A client to use instead of one made from `registry`. */
  client?: RegistryClient;
  events?: EventSink;
}

/** The machine report of an image verification; `ok` only when no finding is fatal. */
export interface ImageVerifyReport {
  ok: boolean;
  ref: string;
  repository: string;
  /** The one digest everything was checked against (and the one `pull` fetches). */
  digest: Digest;
  mediaType: string;
  configDigest?: Digest;
  /** The index the digest was chosen from, when REF named a multi-platform index. */
  index?: Descriptor;
  /** The attestation used for the policy: the newest trusted SBOM statement. */
  attestation?: { referrer: Digest; subject: Digest; signer: VerifiedSigner; predicateType: string; created?: string; components: number };
  referrers: ReferrerCheck[];
  models: { name: string; path: string; attested: boolean; origin?: string; signer?: VerifiedSigner }[];
  policy?: string;
  findings: ImageFinding[];
  notes: string[];
}

/** Strips an optional `registry:` scheme and parses the reference (BAD_TARGET when malformed). */
export function imageReference(ref: string): ImageReference {
  if (/^(docker|docker-archive|oci-dir|oci):/.test(ref)) fail('USAGE', `${ref}: verify image checks a registry reference (REPO:TAG or REPO@DIGEST)`);
  return parseReference(ref.replace(/^registry:/, ''));
}

function newest(list: TrustedStatement[]): TrustedStatement | undefined {
  return [...list].sort((a, b) => (a.check.created ?? '').localeCompare(b.check.created ?? '') || a.check.referrer.localeCompare(b.check.referrer)).at(-1);
}

/** Verifies an image in its registry; throws only for bad input (exit 2) and environment errors (exit 3). */
export async function verifyImage(refText: string, opts: VerifyImageOptions): Promise<ImageVerifyReport> {
  const events = opts.events ?? noEvents;
  const client = opts.client ?? new RegistryClient({ ...opts.registry, events: opts.registry?.events ?? events });
  const ref = imageReference(refText);
  events({ type: 'step', name: 'resolving', detail: ref.toString() });
  const resolved = await client.resolve(ref, { platform: opts.platform });
  const digest = resolved.digest;
  const repo = { registry: ref.registry, name: ref.name };
  const report: ImageVerifyReport = {
    ok: false,
    ref: ref.toString(),
    repository: ref.repository,
    digest,
    mediaType: resolved.mediaType,
    configDigest: isIndex(resolved.manifest) ? undefined : resolved.manifest.config?.digest,
    index: resolved.index,
    referrers: [],
    models: [],
    policy: opts.policy?.file,
    findings: [],
    notes: [],
  };
  // The platform manifest first; an index digest (when REF named one) may carry attestations of its own.
  const subjects = [digest, ...(resolved.index ? [resolved.index.digest] : [])];
  const sboms: TrustedStatement[] = [];
  const modelStatements: TrustedStatement[] = [];
  for (const subject of subjects) {
    events({ type: 'step', name: 'referrers', detail: `${ref.repository}@${subject}` });
    const scan = await scanReferrers(client, repo, subject, opts.trust);
    report.referrers.push(...scan.checks);
    report.findings.push(...scan.findings);
    sboms.push(...scan.sboms);
    modelStatements.push(...scan.models);
  }
  const chosen = newest(sboms);
  if (!chosen) {
    const seen = report.referrers.length;
    report.findings.forEach((f) => (f.fatal = true));
    report.findings.push({ kind: 'no-attestation', fatal: true, message: `no trusted SBOM attestation for ${ref.repository}@${digest} (${seen} bundle referrer(s) checked)` });
    return report;
  }
  const sbom = chosen.statement.predicate;
  const components = Array.isArray(sbom.components) ? sbom.components.length : 0;
  report.attestation = { referrer: chosen.check.referrer, subject: chosen.check.subject, signer: chosen.signer, predicateType: chosen.statement.predicateType, created: chosen.check.created, components };
  const matched: MatchedModel[] = await matchModels(sbomModels(sbom), modelStatements, { store: opts.store, trust: opts.trust, notes: report.notes, findings: report.findings });
  report.models = matched.map((m) => ({ name: m.sbom.name, path: `/${m.sbom.path}`, attested: m.policy.attested, origin: m.attestation?.origin, signer: m.attestation?.signer }));
  if (opts.policy) report.findings.push(...fromPolicy(evaluateOverImage(opts.policy, matched, { ref: report.ref, repository: report.repository, digest, mediaType: resolved.mediaType, configDigest: report.configDigest ?? null, signer: chosen.signer }, sbom)));
  // The signed SBOM says what every file's content is: the same content gate as the build judges it here.
  report.findings.push(...judgeContent({
    files: contentFilesOfSbom(sbom),
    ...gateSets(matched.map((m) => ({ path: m.sbom.path, files: m.sbom.files, attestedDigests: m.attestation?.digests }))),
    requireAttestation: opts.policy?.models.requireAttestation ?? false,
    forbidFormats: opts.policy?.models.forbidFormats ?? [],
  }));
  report.ok = !report.findings.some((f) => f.fatal);
  return report;
}

/**
 * The policy over the image: models as attested (unsigned ones fail `requireAttestation`), and the license and
 * format checks also over unattested models, whose facts come from the signed SBOM itself.
 */
function evaluateOverImage(policy: Policy, models: MatchedModel[], image: Record<string, unknown>, sbom: Record<string, unknown>) {
  const input = { models: models.map((m) => m.policy), image, sbom };
  const findings = evaluatePolicy(policy, input);
  const unattested = models.filter((m) => !m.policy.attested).map((m) => ({ ...m.policy, attested: true }));
  if (unattested.length > 0) {
    const sbomOnly: Policy = { ...policy, rules: [], models: { ...policy.models, requireAttestation: false } };
    findings.push(...evaluatePolicy(sbomOnly, { models: unattested, image, sbom }));
  }
  return findings;
}
