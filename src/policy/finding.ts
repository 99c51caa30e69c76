// Findings: every expected failure of a verification, as a value, so a report can list all of them at once.

/** What kind of problem a finding reports. */
export type FindingKind =
  // the files against the attestation
  | 'changed'
  | 'missing'
  | 'extra'
  | 'symlink'
  | 'special-file'
  | 'lfs-pointer'
  // the attestation itself
  | 'unsigned'
  | 'bad-signature'
  | 'bad-attestation'
  | 'wrong-model'
  | 'store-corrupt'
  // the policy
  | 'license-denied'
  | 'license-unknown'
  | 'format-forbidden'
  | 'rule-failed'
  | 'rule-error'
  | 'hub-license-mismatch'
  // file ownership
  | 'package-file-modified'
  | 'unaccounted-file';

/** One problem found; `path` names the file when there is one; want/got are sha256 hex or license ids. */
export interface Finding {
  kind: FindingKind;
  message: string;
  path?: string;
  /** The model (subject name) the finding is about. */
  model?: string;
  want?: string;
  got?: string;
  /** The policy rule's name, for rule findings. */
  rule?: string;
  /** The MITRE ATLAS technique the finding is evidence of (e.g. AML.T0010.003). */
  atlas?: string;
  /** The image layer (0 = bottom) that added the file, when the finding is about an image file. */
  layer?: number;
  /** The build step (image history) that added the file. */
  step?: string;
}

/** MITRE ATLAS techniques mlbuild's findings point to. */
export const ATLAS = {
  /** ML Supply Chain Compromise (a package file whose bytes changed, a file nothing accounts for over the policy's limits). */
  supplyChain: 'AML.T0010',
  /** ML Supply Chain Compromise: Model (a model nobody trusted attested, or one changed since). */
  compromisedModel: 'AML.T0010.003',
  /** User Execution: Unsafe ML Artifacts (formats that run code on load). */
  unsafeArtifact: 'AML.T0011.000',
  /** Manipulate AI Model: Embed Malware (pickle code). */
  embeddedMalware: 'AML.T0018.002',
  /** Masquerading (the name says one format, the content another). */
  masquerading: 'AML.T0074',
  /** Corrupt AI Model (a model file that does not parse as its own format). */
  corruptModel: 'AML.T0076',
} as const;
