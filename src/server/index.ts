// The gate's public surface: start an OCI registry gate over a dependency set the caller builds.
export { startGate, type GateListen, type GateServer } from './gate.js';
export { GateContext, policyDigest, trustDigest, type GateDeps } from './context.js';
export { Htpasswd } from './htpasswd.js';
export { DecisionCache, type DecisionCacheOptions } from './decision-cache.js';
export type { Decision, GateFinding } from './decision.js';
