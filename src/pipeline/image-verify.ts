// The `verify image` workflow (verification before pull): resolve the reference to a digest once, check every
// attestation referrer offline, bind it to that digest, and evaluate the policy over the verified SBOM.
import type { VerifiedSigner, VerifyOptions } from '../attest/index.js';
import { fail, noEvents, type Digest, type EventSink } from '../core/index.js';
import { allowUnattested, evaluatePolicy, type Policy } from '../policy/index.js';
import { isIndex, parseReference, RegistryClient, type Descriptor, type ImageReference, type RegistryClientOptions } from '../registry/index.js';
import { contentFilesOfSbom, gateSetsOf, judgeContent, withAllowance } from './content-gate.js';
import { sbomFileFindings } from './image-files.js';
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
  /** 'keep' checks an index digest's own attestations instead of narrowing it to one platform (the gate does). */
  index?: 'select' | 'keep';
  /** Where model attestations are looked up besides the image's referrers. */
  store?: ModelStore;
  registry?: RegistryClientOptions;
  /** A client to use instead of one made from `registry`. */
  client?: RegistryClient;
  /** Aborting stops the verification between steps (an INTERRUPTED error; never a pass). */
  signal?: AbortSignal;
  events?: EventSink;
}

/** A trusted SBOM attestation that was judged: where it is, who signed it, and its size. */
export interface JudgedAttestation {
  referrer: Digest;
  subject: Digest;
  signer: VerifiedSigner;
  predicateType: string;
  created?: string;
  components: number;
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
  /**
   * Every trusted SBOM statement bound to the digest, each judged by the policy (the findings are their union), so
   * no unsigned field such as a referrer's `created` annotation picks which one is checked.
   */
  attestations: JudgedAttestation[];
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

function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) fail('INTERRUPTED', 'verification interrupted');
}

/** Verifies an image in its registry; throws only for bad input (exit 2) and environment errors (exit 3). */
export async function verifyImage(refText: string, opts: VerifyImageOptions): Promise<ImageVerifyReport> {
  const events = opts.events ?? noEvents;
  const client = opts.client ?? new RegistryClient({ ...opts.registry, events: opts.registry?.events ?? events });
  const ref = imageReference(refText);
  events({ type: 'step', name: 'resolving', detail: ref.toString() });
  const resolved = await client.resolve(ref, { platform: opts.platform, index: opts.index });
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
    attestations: [],
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
    stopIfAborted(opts.signal);
    events({ type: 'step', name: 'referrers', detail: `${ref.repository}@${subject}` });
    const scan = await scanReferrers(client, repo, subject, opts.trust);
    report.referrers.push(...scan.checks);
    report.findings.push(...scan.findings);
    sboms.push(...scan.sboms);
    modelStatements.push(...scan.models);
  }
  if (sboms.length === 0) {
    const seen = report.referrers.length;
    report.findings.forEach((f) => (f.fatal = true));
    report.findings.push({ kind: 'no-attestation', fatal: true, message: `no trusted SBOM attestation for ${ref.repository}@${digest} (${seen} bundle referrer(s) checked)` });
    return report;
  }
  stopIfAborted(opts.signal);
  const image = { ref: report.ref, repository: report.repository, digest, mediaType: resolved.mediaType, configDigest: report.configDigest ?? null };
  // Referrer digest order: deterministic, and chosen by nothing a pusher can set without a signature.
  for (const t of [...sboms].sort((a, b) => a.check.referrer.localeCompare(b.check.referrer))) {
    await judge(t, modelStatements, image, opts, report);
  }
  report.ok = !report.findings.some((f) => f.fatal);
  return report;
}

/** Judges one trusted SBOM: its models against model attestations, the policy, the content gate; adds what is new. */
async function judge(t: TrustedStatement, modelStatements: TrustedStatement[], image: Record<string, unknown>, opts: VerifyImageOptions, report: ImageVerifyReport): Promise<void> {
  const sbom = t.statement.predicate;
  const components = Array.isArray(sbom.components) ? sbom.components.length : 0;
  report.attestations.push({ referrer: t.check.referrer, subject: t.check.subject, signer: t.signer, predicateType: t.statement.predicateType, created: t.check.created, components });
  const findings: ImageFinding[] = [];
  const matched: MatchedModel[] = await matchModels(sbomModels(sbom), modelStatements, { store: opts.store, trust: opts.trust, notes: report.notes, findings });
  const allowed = allowUnattested(opts.policy);
  if (opts.policy) {
    for (const f of fromPolicy(evaluateOverImage(opts.policy, matched, { ...image, signer: t.signer }, sbom))) findings.push(withAllowance(f, matched, allowed));
  }
  // The signed SBOM says who owns every file: modified package files and unaccounted files judged by `files`.
  if (opts.policy) findings.push(...sbomFileFindings(opts.policy.files, sbom));
  // The signed SBOM says what every file's content is: the same content gate as the build judges it here.
  findings.push(...judgeContent({
    files: contentFilesOfSbom(sbom),
    ...gateSetsOf(matched),
    requireAttestation: opts.policy?.models.requireAttestation ?? false,
    forbidFormats: opts.policy?.models.forbidFormats ?? [],
    allowed,
    unopenedFatal: opts.policy?.files.unopenedArchives === 'deny',
  }));
  for (const f of findings) {
    if (!report.findings.some((g) => g.kind === f.kind && g.message === f.message && g.fatal === f.fatal)) report.findings.push({ ...f, referrer: f.referrer ?? t.check.referrer });
  }
  for (const m of matched) {
    const row = { name: m.sbom.name, path: `/${m.sbom.path}`, attested: m.policy.attested, origin: m.attestation?.origin, signer: m.attestation?.signer };
    if (!report.models.some((r) => r.name === row.name && r.path === row.path && r.attested === row.attested)) report.models.push(row);
  }
  report.notes = [...new Set(report.notes)];
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
    // Formats of unattested models are judged by the content gate (from the bytes the SBOM recorded), not here.
    const sbomOnly: Policy = { ...policy, rules: [], models: { ...policy.models, requireAttestation: false, forbidFormats: [] } };
    findings.push(...evaluatePolicy(sbomOnly, { models: unattested, image, sbom }));
  }
  return findings;
}
