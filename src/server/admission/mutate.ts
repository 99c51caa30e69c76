// POST /admission/mutate: verify every image and pin it to the digest that was verified, or deny naming why.
import { judgeImages } from './judge.js';
import { pinImage, pinnedDigest } from './pin.js';
import type { PatchOp, Verdict } from './response.js';
import type { AdmissionRequest } from './review.js';
import { denial, refusal, reviewScope } from './scope.js';
import type { AdmissionConfig, Decide } from './types.js';

/** The mutating verdict for one request. */
export async function mutateReview(req: AdmissionRequest, decide: Decide, config: AdmissionConfig, deadline: number): Promise<Verdict> {
  const scope = reviewScope(req, config);
  if ('verdict' in scope) return scope.verdict;
  const judged = await judgeImages(scope.images, decide, { deadline, dryRun: req.dryRun });
  const patch: PatchOp[] = [];
  for (const c of scope.images) {
    const digest = judged.digests.get(c.pointer);
    if (digest === undefined) continue;
    const given = pinnedDigest(c.image);
    if (given !== undefined && given !== digest) judged.refused.push(refusal(c, `verified ${digest}, not the pinned ${given}`));
    else if (given === undefined) patch.push({ op: 'replace', path: c.pointer, value: pinImage(c.image, digest) });
  }
  if (judged.refused.length > 0) return denial(judged.refused, judged.cause);
  const warnings = scope.skipped.map((c) => `mlbuild: image ${c.image} of container ${c.container} is exempt from verification`);
  return { allowed: true, patch, warnings };
}
