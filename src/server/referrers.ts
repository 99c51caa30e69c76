// The OCI referrers API for every repository: the upstream's own API when it has one, else synthesised from the
// `sha256-<hex>` fallback tag (the registry client knows both), with the artifactType filter applied here.
import type { ServerResponse } from 'node:http';
import type { Digest } from '../core/digest.js';
import { MediaType, type Descriptor } from '../registry/index.js';
import type { GateContext } from './context.js';
import { toGateError } from './oci-error.js';

/** Serves GET /v2/<name>/referrers/<digest>[?artifactType=…]. */
export async function serveReferrers(ctx: GateContext, res: ServerResponse, name: string, subject: Digest, artifactType: string | undefined, head: boolean): Promise<void> {
  let manifests: Descriptor[];
  try {
    manifests = await ctx.metrics.timed(() => ctx.deps.upstream.listReferrers({ registry: ctx.deps.upstreamHost, name }, subject, { artifactType }));
  } catch (e) {
    const g = toGateError(e, `referrers of ${name}@${subject}`);
    // No fallback index yet means no referrers: an empty list, as the spec asks for an unknown subject.
    if (g.status !== 404) throw g;
    manifests = [];
  }
  const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OCI_INDEX, manifests }));
  res.writeHead(200, {
    'Content-Type': MediaType.OCI_INDEX,
    'Content-Length': String(body.length),
    ...(artifactType ? { 'OCI-Filters-Applied': 'artifactType' } : {}),
  });
  res.end(head ? undefined : body);
}
