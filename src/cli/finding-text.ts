// One line of text for a finding: its message, the MITRE ATLAS technique, and the layer and build step of the file.
import type { Finding } from '../policy/index.js';

const shortStep = (s: string): string => {
  const t = s.replace(/^\/bin\/sh -c (#\(nop\) )?/, '').replace(/\s*# buildkit$/, '').replace(/\s+/g, ' ').trim();
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
};

/** The finding's message with its ATLAS id and where the file came from, for terminals and logs. */
export function findingText(f: Pick<Finding, 'message' | 'atlas' | 'layer' | 'step'>): string {
  const parts = [f.message];
  if (f.atlas) parts.push(`[${f.atlas}]`);
  if (f.layer !== undefined) parts.push(`(layer ${f.layer}${f.step ? `: ${shortStep(f.step)}` : ''})`);
  return parts.join(' ');
}
