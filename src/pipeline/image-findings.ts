// Findings of an image verification: every problem as a value; `fatal` ones fail the check, the rest are reported.
import type { Digest } from '../core/digest.js';
import type { Finding, FindingKind } from '../policy/index.js';

/** What kind of problem an image finding reports (the policy's kinds plus the registry-side ones). */
export type ImageFindingKind =
  | FindingKind
  | 'no-attestation'
  | 'untrusted-signature'
  | 'subject-mismatch'
  | 'referrer-unreadable'
  | 'model-mismatch';

/** One problem found while verifying an image; `referrer` names the referrer manifest it is about. */
export interface ImageFinding extends Omit<Finding, 'kind'> {
  kind: ImageFindingKind;
  /** True when the finding fails the verification; false for ignored referrers next to a trusted one. */
  fatal: boolean;
  referrer?: Digest;
}

/** Turns policy findings into fatal image findings. */
export function fromPolicy(list: Finding[]): ImageFinding[] {
  return list.map((f) => ({ ...f, fatal: true }));
}
