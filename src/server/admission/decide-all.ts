// Deciding each distinct image of a request once, within the request's deadline; errors and lateness are values.
import { describeError } from '../../core/index.js';
import type { Decide, Decision } from './types.js';

/** The outcome for one image: a decision, or why there is none (`late` when the deadline passed first). */
export type Outcome = { decision: Decision } | { error: string; late: boolean };

/** Decides every distinct image in `images` in parallel; each answers by `deadline` (ms since epoch) or is late. */
export async function decideAll(images: string[], decide: Decide, opts: { deadline: number; dryRun: boolean }): Promise<Map<string, Outcome>> {
  const distinct = [...new Set(images)];
  const out = new Map<string, Outcome>();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), Math.max(0, opts.deadline - Date.now()));
  });
  try {
    await Promise.all(
      distinct.map(async (image) => {
        const work = decide(image, opts).then(
          (decision): Outcome => ({ decision }),
          (e: unknown): Outcome => ({ error: describeError(e), late: false }),
        );
        const first = await Promise.race([work, late]);
        out.set(image, first === 'late' ? { error: 'deadline passed before the image was verified', late: true } : first);
      }),
    );
  } finally {
    clearTimeout(timer);
  }
  return out;
}
