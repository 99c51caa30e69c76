// `models.allowUnattested`: weights a policy lets in without an attestation, by image path glob and optional digest.
import picomatch from 'picomatch';
import type { Policy } from './types.js';

/** A test of one image path (no leading slash; `!` names an archive member) and its sha256 against the policy. */
export type AllowTest = (path: string, sha256?: string) => boolean;

/** The policy's allow list as a test; nothing is allowed when the list is absent. */
export function allowUnattested(policy: Pick<Policy, 'models'> | undefined): AllowTest {
  const entries = (policy?.models.allowUnattested ?? []).map((e) => ({ match: picomatch(e.path, { dot: true }), sha256: e.sha256 }));
  if (entries.length === 0) return () => false;
  return (path, sha256) => entries.some((e) => e.match(path) && (e.sha256 === undefined || e.sha256 === sha256));
}
