// Findings of an image verification: every problem as a value; `fatal` ones fail the check, the rest are reported.
import type { Digest } from '../core/digest.js';
import { ATLAS, type Finding, type FindingKind } from '../policy/index.js';

/** What kind of problem an image finding reports (the policy's kinds plus the registry-side ones). */
export type ImageFindingKind =
  | FindingKind
  | 'no-attestation'
  | 'untrusted-signature'
  | 'subject-mismatch'
  | 'referrer-unreadable'
  | 'model-mismatch'
  | 'unattested-weights'
  | 'dangerous-pickle'
  | 'masquerade'
  | 'malformed-model'
  | 'unopened-archive'
  | 'archive-tampered';

/** One problem found while verifying an image; `referrer` names the referrer manifest it is about. */
export interface ImageFinding extends Omit<Finding, 'kind'> {
  kind: ImageFindingKind;
  /** True when the finding fails the verification; false for ignored referrers next to a trusted one. */
  fatal: boolean;
  referrer?: Digest;
}

/** The ATLAS technique a policy finding kind is evidence of, when there is one. */
export function atlasOf(kind: ImageFindingKind): string | undefined {
  switch (kind) {
    case 'unsigned': case 'changed': case 'missing': case 'extra': case 'model-mismatch': case 'bad-signature': case 'wrong-model': case 'lfs-pointer':
      return ATLAS.compromisedModel;
    case 'format-forbidden':
      return ATLAS.unsafeArtifact;
    default:
      return undefined;
  }
}

/** Turns policy findings into fatal image findings. */
export function fromPolicy(list: Finding[]): ImageFinding[] {
  return list.map((f) => ({ ...f, fatal: true, atlas: f.atlas ?? atlasOf(f.kind) }));
}
