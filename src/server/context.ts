// What the gate runs on: its dependencies (built by the caller, never from the environment) and its shared state.
import type { Signer, VerifyOptions } from '../attest/index.js';
import { sha256Digest, type Digest } from '../core/digest.js';
import { noEvents, type EventSink } from '../core/events.js';
import type { ModelStore } from '../pipeline/model-store.js';
import type { Policy } from '../policy/index.js';
import type { RegistryClient } from '../registry/index.js';
import { DecisionCache } from './decision-cache.js';
import type { Decision } from './decision.js';
import type { Htpasswd } from './htpasswd.js';
import { GateMetrics } from './metrics.js';

/** The gate's dependencies and settings; the CLI (or a test) builds them and passes them in. */
export interface GateDeps {
  /** A client for the upstream registry, with the gate's own credentials. */
  upstream: RegistryClient;
  /** The upstream as named in references, e.g. `127.0.0.1:5000`. */
  upstreamHost: string;
  trust: VerifyOptions;
  policy?: Policy;
  store?: ModelStore;
  /** Audit lines and warnings go here; the CLI renders them. */
  events?: EventSink;
  /** Positive and negative decision lifetimes (ms). */
  ttlMs?: number;
  denyTtlMs?: number;
  maxEntries?: number;
  /** `verified`: serve only blobs reachable from approved manifests. */
  blobs?: 'any' | 'verified';
  /** Pass uploads and manifest PUTs through for authenticated clients. */
  allowPush?: boolean;
  htpasswd?: Htpasswd;
  /** Signs verification summaries attached as referrers (shared decisions). */
  summarySigner?: Signer;
  /** Public keys (PEM) whose verification summaries this gate accepts. */
  trustGate?: string[];
  /** The Kubernetes admission routes mounted on the same listener: true when the request was theirs. */
  admission?: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => Promise<boolean>;
  /** Longest a whole decision may take before the client gets a 504 (default 120 s). */
  decisionTimeoutMs?: number;
}

/** Deterministic JSON (sorted keys, functions dropped) for digests of settings. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined && typeof x !== 'function').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/** The digest of the policy as loaded (file paths left out, so replicas with the same policy agree). */
export function policyDigest(policy: Policy | undefined): Digest {
  if (!policy) return sha256Digest('null');
  const { file: _file, rules, signers, ...rest } = policy;
  return sha256Digest(stableJson({
    ...rest,
    signers: signers.map((s) => (s.kind === 'key' ? { kind: s.kind, pem: s.pem.trim() } : s)),
    rules: rules.map((r) => ({ name: r.name, expr: r.expr, message: r.message })),
  }));
}

/** The digest of the trust set: keys, keyless identities and trusted root. */
export function trustDigest(trust: VerifyOptions): Digest {
  return sha256Digest(stableJson({ ...trust, keys: [...(trust.keys ?? [])].map((k) => k.trim()).sort() }));
}

/** The gate's state shared by the handlers. */
export class GateContext {
  readonly events: EventSink;
  readonly metrics = new GateMetrics();
  readonly cache: DecisionCache<Decision>;
  readonly policyDigest: Digest;
  readonly trustDigest: Digest;
  /** `name@digest` of blobs reachable from approved manifests (for `--blobs verified`), oldest first. */
  readonly reachable = new Set<string>();
  /** `name@child` → true for children of approved indexes. */
  readonly approvedChildren = new Set<string>();

  constructor(readonly deps: GateDeps) {
    this.events = deps.events ?? noEvents;
    this.cache = new DecisionCache<Decision>({ ttlMs: deps.ttlMs ?? 5 * 60_000, denyTtlMs: deps.denyTtlMs ?? 10_000, maxEntries: deps.maxEntries });
    this.policyDigest = policyDigest(deps.policy);
    this.trustDigest = trustDigest(deps.trust);
  }

  /** The cache key of a decision: repository, manifest digest, policy digest, trust digest. */
  key(name: string, digest: Digest): string {
    return `${name}@${digest}|${this.policyDigest}|${this.trustDigest}`;
  }

  /** Remembers blobs (and index children) made reachable by an approved manifest; bounded, oldest dropped. */
  remember(set: Set<string>, name: string, digests: Digest[]): void {
    for (const d of digests) {
      set.delete(`${name}@${d}`);
      set.add(`${name}@${d}`);
    }
    while (set.size > 200_000) set.delete(set.values().next().value as string);
  }
}
