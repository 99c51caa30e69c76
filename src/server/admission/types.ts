// The admission contract: what a decider answers for one image, and what the routes need to run.
import type { EventSink } from '../../core/index.js';

/** One reason an image was refused, with its MITRE ATLAS technique when there is one. */
export interface DecisionFinding {
  kind: string;
  message: string;
  atlas?: string;
}

/** The verdict on one image reference: `digest` is what was verified (and what the pod is pinned to). */
export interface Decision {
  ok: boolean;
  digest?: string;
  findings: DecisionFinding[];
  /** Why no verdict could be reached (registry fault, deadline), when that is the cause of `ok: false`. */
  reason?: string;
}

/** Options the admission handlers pass with each image: an absolute deadline (ms since epoch) and dryRun. */
export interface DecideOptions {
  deadline: number;
  dryRun: boolean;
}

/** Resolves and verifies one image reference; may throw (the handlers fail closed on it). */
export type Decide = (imageRef: string, opts: DecideOptions) => Promise<Decision>;

/** The admission configuration (`--admission-config`). */
export interface AdmissionConfig {
  /** The file it came from, for messages. */
  file?: string;
  /** Namespaces whose requests are allowed unchanged, never verified. */
  exemptNamespaces: string[];
  /** Glob patterns over image references that are neither verified nor pinned. */
  exemptImages: string[];
  /** Per-request time budget in milliseconds. */
  deadlineMs: number;
}

/** The default configuration: nothing exempt, a 5 s deadline (the API server's default timeout is 10 s). */
export const DEFAULT_ADMISSION_CONFIG: AdmissionConfig = { exemptNamespaces: [], exemptImages: [], deadlineMs: 5000 };

/** What admissionRoutes needs: the decider, the configuration, and an event sink for audit lines. */
export interface AdmissionDeps {
  decide: Decide;
  config?: AdmissionConfig;
  events?: EventSink;
}
