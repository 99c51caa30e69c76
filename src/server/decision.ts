// One gate decision: the verification core run on exactly the manifest bytes the gate will serve, reduced to what
// a client, an audit line and the cache need.
import type { Digest } from '../core/digest.js';
import { atlasOf } from '../pipeline/image-findings.js';
import { verifyImage } from '../pipeline/image-verify.js';
import { isIndex, type FetchedManifest } from '../registry/index.js';
import type { GateContext } from './context.js';
import { PinnedClient } from './pinned-client.js';

/** A finding as the gate reports it. */
export interface GateFinding {
  kind: string;
  message: string;
  atlas?: string;
}

/** A cached decision about one manifest digest, with the bytes that were verified. */
export interface Decision {
  ok: boolean;
  name: string;
  digest: Digest;
  manifest: FetchedManifest;
  findings: GateFinding[];
  atlas: string[];
  /** How it was reached: the verification core, a trusted gate's signed summary. */
  via: 'verified' | 'summary' | 'pass-through';
  decidedAt: number;
  durationMs: number;
  /** Memory the cache charges for it. */
  bytes: number;
}

/** Config and layer digests of an image manifest (the blobs an approval makes reachable). */
export function blobsOf(m: FetchedManifest): Digest[] {
  if (isIndex(m.manifest)) return [];
  return [m.manifest.config?.digest, ...(m.manifest.layers ?? []).map((l) => l.digest)].filter((d): d is Digest => typeof d === 'string');
}

/** Builds a decision record. */
export function makeDecision(name: string, manifest: FetchedManifest, ok: boolean, findings: GateFinding[], via: Decision['via'], started: number): Decision {
  const atlas = [...new Set(findings.map((f) => f.atlas).filter((a): a is string => Boolean(a)))];
  return { ok, name, digest: manifest.digest, manifest, findings, atlas, via, decidedAt: Date.now(), durationMs: Math.round(performance.now() - started), bytes: manifest.bytes.length + 1024 };
}

/** Runs the verification core on the fetched manifest (an index: its own attestations) and returns the decision. */
export async function verifyFetched(ctx: GateContext, name: string, fetched: FetchedManifest): Promise<Decision> {
  const started = performance.now();
  const { deps } = ctx;
  const report = await verifyImage(`${deps.upstreamHost}/${name}@${fetched.digest}`, {
    trust: deps.trust,
    policy: deps.policy,
    store: deps.store,
    client: new PinnedClient(deps.upstream, fetched),
    index: 'keep',
  });
  const findings = report.findings.filter((f) => f.fatal).map((f) => ({ kind: f.kind, message: f.message, atlas: f.atlas ?? atlasOf(f.kind) }));
  return makeDecision(name, fetched, report.ok, findings, 'verified', started);
}

/** The one-line reason a client sees for a denial: the first findings with their ATLAS techniques. */
export function denialMessage(d: Decision): string {
  const first = d.findings.slice(0, 3).map((f) => `${f.kind}${f.atlas ? ` [${f.atlas}]` : ''}: ${f.message}`);
  const more = d.findings.length > 3 ? ` (+${d.findings.length - 3} more)` : '';
  return `mlbuild gate denied ${d.name}@${d.digest}: ${first.join('; ') || 'not verified'}${more}`;
}
