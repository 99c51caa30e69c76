// The shared step of both handlers: decide each distinct image once and sort containers into passed and refused.
import { decideAll } from './decide-all.js';
import type { ContainerImage } from './images.js';
import { findingsText, refusal } from './scope.js';
import type { Decide } from './types.js';

/** The result over a request's containers: verified digests by container pointer, refusal lines, and the worst cause. */
export interface Judged {
  digests: Map<string, string>;
  refused: string[];
  cause: 'policy' | 'error' | 'late';
}

/** Decides `images` (each distinct string once) and sorts the containers. */
export async function judgeImages(containers: ContainerImage[], decide: Decide, opts: { deadline: number; dryRun: boolean }): Promise<Judged> {
  const outcomes = await decideAll(containers.map((c) => c.image), decide, opts);
  const out: Judged = { digests: new Map(), refused: [], cause: 'policy' };
  for (const c of containers) {
    const o = outcomes.get(c.image);
    if (!o || 'error' in o) {
      out.refused.push(refusal(c, o ? `${o.late ? 'deadline' : 'error'}: ${o.error}` : 'not decided'));
      if (o?.late) out.cause = 'late';
      else if (out.cause === 'policy') out.cause = 'error';
    } else if (!o.decision.ok || !o.decision.digest) {
      out.refused.push(refusal(c, findingsText(o.decision.findings, o.decision.reason)));
    } else {
      out.digests.set(c.pointer, o.decision.digest);
    }
  }
  return out;
}
