// The policy's view of a verified model: attested facts, measured sizes, formats and the signer.
import type { ModelStatement } from '../attest/model-statement.js';
import type { VerifiedSigner } from '../attest/verifier.js';
import { formatOfPath } from '../policy/formats.js';
import type { PolicyModel } from '../policy/types.js';
import type { ModelScan } from '../model/index.js';

/** The signer as policies see it (`model.signer` in CEL). */
export function policySigner(s: VerifiedSigner | undefined): PolicyModel['signer'] {
  return s ? { kind: s.kind, identity: s.kind === 'keyless' ? s.identity : null, issuer: s.kind === 'keyless' ? s.issuer : null, hint: s.kind === 'key' ? s.hint : null } : null;
}

/** Builds the `model` a policy evaluates; without an attestation only the scanned files are known. */
export function policyModel(name: string, scan: ModelScan, attested?: { model: ModelStatement; signer: VerifiedSigner }): PolicyModel {
  const sizes = new Map(scan.files.map((f) => [f.path, f.size]));
  const list = attested
    ? attested.model.predicate.resources.map((r) => ({ path: r.name, digest: r.digest }))
    : scan.files.map((f) => ({ path: f.path, digest: f.digest }));
  const files = list.map((f) => ({ ...f, size: sizes.get(f.path) ?? 0, format: formatOfPath(f.path) }));
  const facts = attested?.model.facts ?? {};
  const s = attested?.signer;
  return {
    name: attested?.model.name ?? name,
    source: facts.source ?? null,
    revision: facts.revision ?? null,
    commit: facts.commit ?? null,
    license: facts.license ?? null,
    card: facts.card ?? {},
    subjectDigest: attested?.model.subjectDigest ?? null,
    attested: attested !== undefined,
    signer: policySigner(s),
    files,
    formats: [...new Set(files.map((f) => f.format).filter((f): f is string => f !== null))].sort(),
  };
}
