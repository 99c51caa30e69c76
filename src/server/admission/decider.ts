// The standalone decider: resolve a reference to a digest (one registry call for a tag), then verify that digest
// with the shared `verifyImage` core, cached per repository and digest; an index passes when every child does.
// A fresh verification summary of that digest signed by a `--trust-gate` key (same policy and trust) is accepted instead.
import type { VerifyOptions } from '../../attest/index.js';
import type { Digest } from '../../core/digest.js';
import { isMlbuildError } from '../../core/index.js';
import { atlasOf, type ImageFinding } from '../../pipeline/image-findings.js';
import { verifyImage } from '../../pipeline/image-verify.js';
import type { ModelStore } from '../../pipeline/model-store.js';
import type { Policy } from '../../policy/index.js';
import { formatPlatform, isIndex, parseReference, RegistryClient, type Descriptor, type ImageReference, type RegistryClientOptions } from '../../registry/index.js';
import { policyDigest, trustDigest } from '../context.js';
import { hasTrustedSummary, type SummaryTrust } from '../summary-trust.js';
import { DecisionCache } from '../decision-cache.js';
import type { Decide, Decision, DecisionFinding } from './types.js';

/** What the decider verifies with, and how long it keeps decisions. */
export interface DeciderOptions {
  trust: VerifyOptions;
  policy?: Policy;
  store?: ModelStore;
  registry?: RegistryClientOptions;
  client?: RegistryClient;
  /** How long a passing decision is kept (default 5 minutes). */
  ttlMs?: number;
  /** How long a refusal is kept (default 30 seconds). */
  denyTtlMs?: number;
  /** Public keys (PEM) of gates whose signed verification summaries are accepted instead of verifying (`--trust-gate`). */
  trustGate?: string[];
  /**
   * A decision the registry gate in the same process already holds for this image (same policy and trust): the
   * admission endpoints then reuse it instead of verifying again. Undefined when there is none.
   */
  known?: (ref: ImageReference, digest: Digest) => { ok: boolean; findings: DecisionFinding[] } | undefined;
}

/** How often decisions were found in the cache, and how often they were made. */
export interface CacheStats {
  hits: number;
  misses: number;
}

/** A decider with its counters: `verifications` counts digests actually verified, `summaries` those a trusted gate's summary decided. */
export interface Decider {
  decide: Decide;
  stats: CacheStats & { verifications: number; summaries: number; shared: number };
}

function toFindings(list: ImageFinding[], prefix = ''): DecisionFinding[] {
  return list.filter((f) => f.fatal).map((f) => ({ kind: f.kind, message: `${prefix}${f.message}`, atlas: f.atlas ?? atlasOf(f.kind) }));
}

/** Index entries that are images (attestation manifests and `unknown` platforms are not run by a node). */
function runnable(entries: Descriptor[]): Descriptor[] {
  return entries.filter((d) => d.platform && d.platform.os !== 'unknown' && d.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest');
}

/** Builds a decider over a registry client (credentials from the docker config unless given). */
export function createDecider(opts: DeciderOptions): Decider {
  const client = opts.client ?? new RegistryClient(opts.registry);
  const ttl = opts.ttlMs ?? 300_000;
  const denyTtl = opts.denyTtlMs ?? 30_000;
  // The same cache class as the registry gate's (TTLs, bounds, single-flight); a decision's memory is its findings.
  const cache = new DecisionCache<Decision & { bytes: number }>({ ttlMs: ttl, denyTtlMs: denyTtl, maxEntries: 1000 });
  const stats = { hits: 0, misses: 0, verifications: 0, summaries: 0, shared: 0 };
  const verifyOpts = { trust: opts.trust, policy: opts.policy, store: opts.store, client };
  const summaryTrust: SummaryTrust = { policyDigest: policyDigest(opts.policy), trustDigest: trustDigest(opts.trust), keys: opts.trustGate ?? [], ttlMs: ttl };

  async function verifyDigest(ref: ImageReference, digest: Digest): Promise<Decision> {
    const held = opts.known?.(ref, digest);
    if (held) {
      stats.shared++;
      return { ok: held.ok, digest, findings: held.findings };
    }
    if (await hasTrustedSummary(client, ref, digest, summaryTrust)) {
      stats.summaries++;
      return { ok: true, digest, findings: [] };
    }
    stats.verifications++;
    const pinned = `${ref.repository}@${digest}`;
    const top = await client.getManifest(pinned);
    if (!isIndex(top.manifest)) {
      const r = await verifyImage(pinned, verifyOpts);
      return { ok: r.ok, digest, findings: toFindings(r.findings) };
    }
    const children = runnable(top.manifest.manifests);
    if (children.length === 0) return { ok: false, digest, findings: [{ kind: 'no-attestation', message: `index ${pinned} names no platform image` }] };
    // Each child with the index: the index's own attestation covers a child, else the child's must.
    const reports = await Promise.all(children.map((c) => verifyImage(pinned, { ...verifyOpts, platform: formatPlatform(c.platform ?? { os: '', architecture: '' }) })));
    const findings = reports.flatMap((r, i) => (r.ok ? [] : toFindings(r.findings, `${formatPlatform(children[i]?.platform ?? { os: '', architecture: '' })}: `)));
    return { ok: reports.every((r) => r.ok), digest, findings };
  }

  const decide: Decide = async (image) => {
    let ref;
    try {
      ref = parseReference(image);
    } catch (e) {
      if (isMlbuildError(e)) return { ok: false, findings: [{ kind: 'bad-reference', message: e.message }] };
      throw e;
    }
    const digest = ref.digest ?? (await client.headManifest(ref))?.digest;
    if (!digest) return { ok: false, findings: [{ kind: 'not-found', message: `${ref.toString()} is not in its registry` }] };
    const { value, hit } = await cache.getOrCompute(`${ref.repository}@${digest}`, async () => {
      const d = await verifyDigest(ref, digest);
      return { ...d, bytes: 256 + JSON.stringify(d.findings).length };
    });
    if (hit) stats.hits++;
    else stats.misses++;
    const { bytes: _bytes, ...decision } = value;
    return decision;
  };
  return { decide, stats };
}
