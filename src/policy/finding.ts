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
  | 'hub-license-mismatch';

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
}
