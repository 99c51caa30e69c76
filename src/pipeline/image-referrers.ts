// Discovery and offline checking of an image's attestation referrers: list, fetch (digest-verified, size-capped),
// verify the signature against trusted material, and bind the statement to the image digest.
import { isCycloneDxPredicateType, OMS_PREDICATE_TYPE, verifyBundle, type Statement, type VerifiedSigner, type VerifyOptions } from '../attest/index.js';
import { describeError, isMlbuildError } from '../core/errors.js';
import { digestHex, type Digest } from '../core/digest.js';
import { MediaType, type Descriptor, type ImageManifest, type Repository, type RegistryClient } from '../registry/index.js';
import type { ImageFinding } from './image-findings.js';
import { REFERRER_ANNOTATIONS } from './referrer.js';

/** Bundle media types accepted as artifactType and layer type (mlbuild, cosign v3, GitHub, and older spellings). */
export const BUNDLE_ARTIFACT_TYPES: readonly string[] = [
  'application/vnd.dev.sigstore.bundle.v0.3+json',
  'application/vnd.dev.sigstore.bundle+json;version=0.3',
  'application/vnd.dev.sigstore.bundle+json;version=0.2',
  'application/vnd.dev.sigstore.bundle+json;version=0.1',
];

/** Bundles larger than this are not fetched (an SBOM of every file of a large image stays well below). */
export const MAX_BUNDLE_BYTES = 32 * 1024 * 1024;
/** At most this many referrers are checked per subject. */
export const MAX_REFERRERS = 256;

/** The outcome for one referrer. */
export type ReferrerStatus = 'trusted' | 'model-attestation' | 'untrusted' | 'invalid' | 'subject-mismatch' | 'other-predicate';

/** One referrer as checked: where it is, what it claims, and whether it can be trusted. */
export interface ReferrerCheck {
  referrer: Digest;
  subject: Digest;
  status: ReferrerStatus;
  predicateType?: string;
  created?: string;
  signer?: VerifiedSigner;
  /** The sha256 subjects the statement names (`sha256:<hex>`). */
  statementSubjects?: string[];
  reason?: string;
}

/** A referrer whose signature verified: its statement can be used. */
export interface TrustedStatement {
  check: ReferrerCheck;
  statement: Statement;
  signer: VerifiedSigner;
}

/** Everything found under one subject digest. */
export interface ReferrerScan {
  checks: ReferrerCheck[];
  /** Trusted CycloneDX statements bound to the subject. */
  sboms: TrustedStatement[];
  /** Trusted model (OMS) statements attached to the image; bound to models, not to the image. */
  models: TrustedStatement[];
  findings: ImageFinding[];
}

function isBundleType(t: string | undefined): boolean {
  return t !== undefined && BUNDLE_ARTIFACT_TYPES.includes(t.replace(/\s+/g, ''));
}

/** Lists and checks every bundle referrer of `subject`; registry failures while listing are thrown (exit 3). */
export async function scanReferrers(client: RegistryClient, repo: Repository, subject: Digest, trust: VerifyOptions): Promise<ReferrerScan> {
  const scan: ReferrerScan = { checks: [], sboms: [], models: [], findings: [] };
  const all = await client.listReferrers(repo, subject);
  const bundles = all.filter((d) => isBundleType(d.artifactType)).slice(0, MAX_REFERRERS);
  for (const d of bundles) await checkOne(client, repo, subject, d, trust, scan);
  return scan;
}

function problem(scan: ReferrerScan, check: ReferrerCheck, kind: ImageFinding['kind'], message: string): void {
  check.reason = message;
  scan.checks.push(check);
  scan.findings.push({ kind, fatal: false, referrer: check.referrer, message: `referrer ${check.referrer.slice(0, 19)}: ${message}` });
}

async function checkOne(client: RegistryClient, repo: Repository, subject: Digest, d: Descriptor, trust: VerifyOptions, scan: ReferrerScan): Promise<void> {
  const check: ReferrerCheck = { referrer: d.digest, subject, status: 'invalid', predicateType: d.annotations?.[REFERRER_ANNOTATIONS.predicateType], created: d.annotations?.[REFERRER_ANNOTATIONS.created] };
  let bytes: Buffer;
  try {
    const got = await client.getManifest(`${repo.registry}/${repo.name}@${d.digest}`, { accept: [MediaType.OCI_MANIFEST] });
    const m = got.manifest as ImageManifest;
    if (m.subject?.digest !== subject) {
      check.status = 'subject-mismatch';
      return problem(scan, check, 'subject-mismatch', `its manifest refers to ${String(m.subject?.digest)}, not ${subject}`);
    }
    const layer = (m.layers ?? []).find((l) => isBundleType(l.mediaType));
    if (!layer) return problem(scan, check, 'referrer-unreadable', 'no sigstore bundle layer');
    if (layer.size > MAX_BUNDLE_BYTES) return problem(scan, check, 'referrer-unreadable', `bundle of ${layer.size} bytes is over the ${MAX_BUNDLE_BYTES}-byte cap`);
    check.created ??= m.annotations?.[REFERRER_ANNOTATIONS.created];
    bytes = await client.readBlob(repo, layer.digest, { size: layer.size, maxBytes: MAX_BUNDLE_BYTES });
  } catch (e) {
    if (!isMlbuildError(e) || e.exitCode !== 2) throw e; // registry unreachable or failing: an environment error
    return problem(scan, check, 'referrer-unreadable', describeError(e));
  }
  let verified;
  try {
    verified = verifyBundle(bytes, trust);
  } catch (e) {
    if (isMlbuildError(e, 'VERIFY_FAILED')) {
      check.status = 'untrusted';
      return problem(scan, check, 'untrusted-signature', `ignored: ${e.message}`);
    }
    if (!isMlbuildError(e)) throw e;
    return problem(scan, check, 'bad-attestation', `ignored: ${e.message}`);
  }
  const st = verified.statement;
  check.signer = verified.signer;
  check.predicateType = st.predicateType;
  check.statementSubjects = st.subject.map((s) => `sha256:${s.digest.sha256}`);
  if (st.predicateType === OMS_PREDICATE_TYPE) {
    check.status = 'model-attestation';
    scan.checks.push(check);
    scan.models.push({ check, statement: st, signer: verified.signer });
    return;
  }
  if (!isCycloneDxPredicateType(st.predicateType)) {
    check.status = 'other-predicate';
    check.reason = `predicate type ${st.predicateType} is not an SBOM`;
    scan.checks.push(check);
    return;
  }
  if (!st.subject.some((s) => s.digest.sha256 === digestHex(subject))) {
    check.status = 'subject-mismatch';
    return problem(scan, check, 'subject-mismatch', `signed statement is about ${check.statementSubjects.join(', ')}, not ${subject} (replayed from another image?)`);
  }
  check.status = 'trusted';
  scan.checks.push(check);
  scan.sboms.push({ check, statement: st, signer: verified.signer });
}
