// The policy model: who must have signed, what models may be, and custom CEL rules; plus the evaluation input.
import type { KeylessIdentity } from '../attest/verifier.js';
import type { CompiledRule } from './cel.js';

/** A signer the policy accepts: a public key (PEM text, loaded) or a keyless identity. */
export type PolicySigner =
  | { kind: 'key'; path: string; pem: string }
  | { kind: 'keyless'; identity: KeylessIdentity };

/** A loaded, validated policy. */
export interface Policy {
  /** The file it came from (for messages). */
  file: string;
  signers: PolicySigner[];
  /** A sigstore trusted_root.json (parsed JSON) for keyless signers. */
  trustedRoot?: unknown;
  models: {
    requireAttestation: boolean;
    licenses?: { allow?: string[]; deny?: string[] };
    forbidFormats: string[];
    /** Weights allowed without an attestation: image path globs (`!` names archive members), optionally pinned. */
    allowUnattested?: { path: string; sha256?: string }[];
  };
  rules: CompiledRule[];
  /** Rules over who owns the image's files (see catalog/owners). */
  files: FilesPolicy;
}

/** What a policy says about files no one owns and package files whose bytes changed. */
export interface FilesPolicy {
  unaccounted: {
    /** An unaccounted file larger than this (bytes) is a finding. */
    maxBytes?: number;
    /** Unaccounted files of these kinds (probe kinds or name classes: "pickle", "executable"…) are findings. */
    denyKinds: string[];
    /** True when those findings fail the check; by default they are reported only. */
    fatal: boolean;
  };
  /** `deny` (default): a package file whose bytes differ from the package's digest fails the check; `warn` reports it. */
  packageModified: 'deny' | 'warn';
  /** `warn` (default): archives or members that were not opened are reported; `deny` fails the check. */
  unopenedArchives: 'deny' | 'warn';
}

/** One model file as policies see it. */
export interface PolicyModelFile {
  path: string;
  digest: string;
  size: number;
  format: string | null;
}

/** One model as policies and CEL rules see it (`model` in CEL); absent facts are null. */
export interface PolicyModel {
  name: string;
  source: string | null;
  revision: string | null;
  commit: string | null;
  license: string | null;
  card: Record<string, unknown>;
  subjectDigest: string | null;
  attested: boolean;
  signer: { kind: string; identity: string | null; issuer: string | null; hint: string | null } | null;
  files: PolicyModelFile[];
  formats: string[];
}

/** What a policy is evaluated over: models (verify model, build) and, for image verification, the image and its SBOM. */
export interface PolicyInput {
  models: PolicyModel[];
  /** The image (`image` in CEL): e.g. {ref, digest, config}; null when absent. */
  image?: Record<string, unknown>;
  /** The CycloneDX SBOM (`sbom` in CEL); null when absent. */
  sbom?: Record<string, unknown>;
}
