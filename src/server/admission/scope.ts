// What a request asks the webhook to review: the images to decide, or an early answer (not ours, exempt).
import { namespaceExempt, imageExemption } from './exempt.js';
import { containerImages, hasPodSpec, type ContainerImage } from './images.js';
import type { Verdict } from './response.js';
import type { AdmissionRequest } from './review.js';
import type { AdmissionConfig } from './types.js';

/** Either the images to review (exempt ones left out) or a verdict that needs no registry. */
export type Scope = { images: ContainerImage[]; skipped: ContainerImage[] } | { verdict: Verdict };

/** Picks the images of a request to review; a malformed pod spec throws BadReview. */
export function reviewScope(req: AdmissionRequest, config: AdmissionConfig): Scope {
  if (req.operation !== 'CREATE' && req.operation !== 'UPDATE') return { verdict: { allowed: true } };
  if (!hasPodSpec(req.kind)) return { verdict: { allowed: true } };
  if (namespaceExempt(config, req.namespace)) return { verdict: { allowed: true, warnings: [`mlbuild: namespace ${req.namespace} is exempt from image verification`] } };
  const all = containerImages(req.kind, req.object, req.uid);
  const exempt = imageExemption(config);
  return { images: all.filter((c) => !exempt(c.image)), skipped: all.filter((c) => exempt(c.image)) };
}

/** One line about a refused container: container, image, and the findings or the reason. */
export function refusal(c: ContainerImage, why: string): string {
  return `container ${JSON.stringify(c.container)} image ${JSON.stringify(c.image)}: ${why}`;
}

/** The denial verdict for refusal lines: 504 when a deadline passed, 503 on errors, else 403. */
export function denial(lines: string[], cause: 'policy' | 'error' | 'late'): Verdict {
  const code = cause === 'late' ? 504 : cause === 'error' ? 503 : 403;
  return { allowed: false, code, message: `mlbuild: image verification failed: ${lines.join('; ')}` };
}

/** Findings as one clause: `kind: message [ATLAS]` joined by commas, at most five named. */
export function findingsText(findings: { kind: string; message: string; atlas?: string }[], reason?: string): string {
  if (findings.length === 0) return reason ?? 'not verified';
  const named = findings.slice(0, 5).map((f) => `${f.kind}: ${f.message}${f.atlas ? ` [${f.atlas}]` : ''}`);
  if (findings.length > 5) named.push(`and ${findings.length - 5} more`);
  return named.join(', ');
}
