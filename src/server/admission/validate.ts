// POST /admission/validate: every image must be pinned to a digest, and that digest must verify.
import { judgeImages } from './judge.js';
import { pinnedDigest } from './pin.js';
import type { Verdict } from './response.js';
import type { AdmissionRequest } from './review.js';
import { denial, refusal, reviewScope } from './scope.js';
import type { AdmissionConfig, Decide } from './types.js';

/** The validating verdict for one request (after all mutations). */
export async function validateReview(req: AdmissionRequest, decide: Decide, config: AdmissionConfig, deadline: number): Promise<Verdict> {
  const scope = reviewScope(req, config);
  if ('verdict' in scope) return scope.verdict;
  const unpinned = scope.images.filter((c) => pinnedDigest(c.image) === undefined);
  if (unpinned.length > 0) return denial(unpinned.map((c) => refusal(c, 'not pinned to a digest (repo@sha256:…)')), 'policy');
  const judged = await judgeImages(scope.images, decide, { deadline, dryRun: req.dryRun });
  for (const c of scope.images) {
    const digest = judged.digests.get(c.pointer);
    if (digest !== undefined && digest !== pinnedDigest(c.image)) judged.refused.push(refusal(c, `verified ${digest}, not the pinned digest`));
  }
  if (judged.refused.length > 0) return denial(judged.refused, judged.cause);
  return { allowed: true };
}
