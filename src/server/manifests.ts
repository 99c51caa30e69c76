// GET/HEAD of a manifest through the gate: tag → digest upstream (one call), then the cached or new decision for that
// digest, then exactly the verified bytes, or 403 DENIED naming the first findings and their ATLAS techniques.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isDigest } from '../core/digest.js';
import { ALL_MANIFEST_TYPES, isIndex, type FetchedManifest } from '../registry/index.js';
import type { GateContext } from './context.js';
import { blobsOf, denialMessage, makeDecision, verifyFetched, type Decision } from './decision.js';
import { deny, GateError, toGateError } from './oci-error.js';
import { publishSummary, sharedDecision } from './summary.js';

/** Image config media types: a manifest with one of these is a runnable image, never a pass-through artifact. */
const IMAGE_CONFIG_TYPES = new Set(['application/vnd.oci.image.config.v1+json', 'application/vnd.docker.container.image.v1+json']);

/** True for an artifact that refers to another manifest (a signature, an attestation) and is no runnable image. */
export function isReferrerArtifact(m: FetchedManifest): boolean {
  if (isIndex(m.manifest)) return false;
  return Boolean(m.manifest.subject?.digest) && !IMAGE_CONFIG_TYPES.has(m.manifest.config?.mediaType ?? '');
}

async function fetchUpstream(ctx: GateContext, name: string, reference: string): Promise<FetchedManifest> {
  const sep = isDigest(reference) ? '@' : ':';
  return ctx.metrics.timed(() => ctx.deps.upstream.getManifest(`${ctx.deps.upstreamHost}/${name}${sep}${reference}`, { accept: ALL_MANIFEST_TYPES }));
}

/** Decides a fetched manifest: artifacts pass, a trusted gate's summary is reused, else the verification core runs. */
async function decide(ctx: GateContext, name: string, fetched: FetchedManifest): Promise<Decision> {
  const started = performance.now();
  if (isReferrerArtifact(fetched)) return { ...makeDecision(name, fetched, true, [], 'pass-through', started) };
  const shared = await sharedDecision(ctx, name, fetched);
  if (shared) return shared;
  const d = await ctx.metrics.timed(() => verifyFetched(ctx, name, fetched));
  if (d.ok && ctx.deps.summarySigner) await publishSummary(ctx, name, d);
  return d;
}

function withDeadline<T>(ctx: GateContext, work: Promise<T>, what: string): Promise<T> {
  const ms = ctx.deps.decisionTimeoutMs ?? 120_000;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new GateError(504, 'UNAVAILABLE', `${what}: no decision within ${ms} ms (upstream too slow)`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** The decision for `name:reference` and whether it came from the cache (or a computation already in flight). */
async function lookup(ctx: GateContext, name: string, reference: string): Promise<{ decision: Decision; hit: boolean }> {
  if (isDigest(reference)) {
    const r = await ctx.cache.getOrCompute(ctx.key(name, reference), async () => decide(ctx, name, await fetchUpstream(ctx, name, reference)));
    return { decision: r.value, hit: r.hit };
  }
  const fetched = await fetchUpstream(ctx, name, reference);
  const r = await ctx.cache.getOrCompute(ctx.key(name, fetched.digest), () => decide(ctx, name, fetched));
  return { decision: r.value, hit: r.hit };
}

/** What the gate does with a decision: serve (and why) or deny. */
function verdict(ctx: GateContext, d: Decision): 'allow' | 'pass' | 'index' | 'index-child' | 'deny' {
  if (d.via === 'pass-through') return 'pass';
  if (d.ok) return 'allow';
  // An index holds no content: it is served, and each child a client fetches is checked on its own.
  if (isIndex(d.manifest.manifest)) return 'index';
  if (ctx.approvedChildren.has(`${d.name}@${d.digest}`)) return 'index-child';
  return 'deny';
}

/** Serves GET/HEAD /v2/<name>/manifests/<reference>. */
export async function serveManifest(ctx: GateContext, req: IncomingMessage, res: ServerResponse, name: string, reference: string, client: string): Promise<void> {
  const t0 = performance.now();
  const what = `${name}:${reference}`;
  const audit = (result: string, d?: Decision, hit?: boolean, error?: string): void => {
    ctx.metrics.decision(result);
    ctx.events({
      type: 'audit',
      record: {
        time: new Date().toISOString(), event: 'gate.decision', repository: name, reference, digest: d?.digest, client, result,
        via: d?.via, cache: hit === undefined ? undefined : hit ? 'hit' : 'miss',
        findings: d?.findings.map((f) => ({ kind: f.kind, atlas: f.atlas, message: f.message })), atlas: d?.atlas,
        durationMs: Math.round(performance.now() - t0), error,
      },
    });
  };
  let found: { decision: Decision; hit: boolean };
  try {
    found = await withDeadline(ctx, lookup(ctx, name, reference), what);
  } catch (e) {
    const g = toGateError(e, `manifest ${what}`);
    audit(g.status === 404 ? 'unknown' : 'error', undefined, undefined, g.message);
    throw g;
  }
  const { decision: d, hit } = found;
  if (hit) ctx.metrics.cacheHits++;
  else ctx.metrics.cacheMisses++;
  const result = verdict(ctx, d);
  audit(result, d, hit);
  if (result === 'deny') {
    deny(403, 'DENIED', denialMessage(d), { repository: name, digest: d.digest, findings: d.findings.slice(0, 20), atlas: d.atlas });
  }
  if (result !== 'index') ctx.remember(ctx.reachable, name, blobsOf(d.manifest));
  if (d.ok && isIndex(d.manifest.manifest)) ctx.remember(ctx.approvedChildren, name, d.manifest.manifest.manifests.map((m) => m.digest));
  const m = d.manifest;
  res.writeHead(200, { 'Content-Type': m.mediaType, 'Content-Length': String(m.bytes.length), 'Docker-Content-Digest': m.digest, ETag: `"${m.digest}"` });
  res.end(req.method === 'HEAD' ? undefined : m.bytes);
}
