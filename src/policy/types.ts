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
  };
  rules: CompiledRule[];
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
