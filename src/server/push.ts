// `--allow-push`: uploads and manifest writes pass through to the upstream for authenticated clients, with the
// gate's own credentials; a referrer or fallback-tag write invalidates its subject's cached decision at once.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { isDigest, type Digest } from '../core/digest.js';
import { ALL_MANIFEST_TYPES, MAX_MANIFEST_BYTES } from '../registry/index.js';
import type { GateContext } from './context.js';
import { deny, toGateError } from './oci-error.js';
import type { Route } from './route.js';

const PASSED_HEADERS = ['location', 'range', 'docker-upload-uuid', 'docker-content-digest', 'oci-subject', 'content-type'];

async function readBody(req: IncomingMessage, cap: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const c of req) {
    n += (c as Buffer).length;
    if (n > cap) deny(400, 'SIZE_INVALID', `body larger than ${cap} bytes`);
    parts.push(c as Buffer);
  }
  return Buffer.concat(parts);
}

/** The subject whose decision a manifest write changes: a referrer's `subject`, or the digest a fallback tag names. */
export function touchedSubject(reference: string, bytes: Buffer): Digest | undefined {
  const tag = /^sha256-([0-9a-f]{64})$/.exec(reference);
  if (tag) return `sha256:${tag[1]}`;
  try {
    const d = (JSON.parse(bytes.toString('utf8')) as { subject?: { digest?: unknown } }).subject?.digest;
    return isDigest(d) ? d : undefined;
  } catch {
    return undefined;
  }
}

async function putManifest(ctx: GateContext, req: IncomingMessage, res: ServerResponse, name: string, reference: string, client: string): Promise<void> {
  const bytes = await readBody(req, MAX_MANIFEST_BYTES);
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
  if (!ALL_MANIFEST_TYPES.includes(type)) deny(400, 'MANIFEST_INVALID', `unsupported manifest media type ${type || '(none)'}`);
  let put;
  try {
    put = await ctx.deps.upstream.putManifestResult({ registry: ctx.deps.upstreamHost, name }, reference, bytes, type);
  } catch (e) {
    throw toGateError(e, `manifest upload ${name}:${reference}`);
  }
  const subject = touchedSubject(reference, bytes);
  if (subject) ctx.cache.invalidate((k) => k.startsWith(`${name}@${subject}|`));
  ctx.events({ type: 'audit', record: { time: new Date().toISOString(), event: 'gate.push', repository: name, reference, digest: put.digest, client, invalidated: subject } });
  res.writeHead(201, { Location: `/v2/${name}/manifests/${put.digest}`, 'Docker-Content-Digest': put.digest, 'Content-Length': '0', ...(put.ociSubject ? { 'OCI-Subject': put.ociSubject } : {}) });
  res.end();
}

async function forwardUpload(ctx: GateContext, req: IncomingMessage, res: ServerResponse, name: string, target: string): Promise<void> {
  const session = ctx.deps.upstream.session(ctx.deps.upstreamHost);
  const headers: Record<string, string> = {};
  for (const h of ['content-type', 'content-length', 'content-range']) {
    const v = req.headers[h];
    if (typeof v === 'string') headers[h] = v;
  }
  const hasBody = req.method === 'PATCH' || req.method === 'PUT' || (req.method === 'POST' && Number(req.headers['content-length'] ?? 0) > 0);
  let up: Response;
  try {
    up = await session.request({
      method: req.method ?? 'POST',
      path: target,
      scopes: [`repository:${name}:pull,push`],
      headers,
      body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
      what: `upload to ${name}`,
    });
  } catch (e) {
    throw toGateError(e, `upload to ${name}`, 'BLOB_UPLOAD_UNKNOWN');
  }
  const out: Record<string, string> = {};
  for (const h of PASSED_HEADERS) {
    const v = up.headers.get(h);
    if (v === null) continue;
    // Upload locations point at the upstream; clients come back through the gate with the same path and query.
    out[h] = h === 'location' ? ((u) => `${u.pathname}${u.search}`)(new URL(v, session.baseUrl)) : v;
  }
  const body = Buffer.from(await up.arrayBuffer());
  res.writeHead(up.status, { ...out, 'Content-Length': String(body.length) });
  res.end(body);
}

/** Passes one write (upload step, manifest PUT or DELETE) through, when pushes are allowed and the client is known. */
export async function forwardWrite(ctx: GateContext, req: IncomingMessage, res: ServerResponse, route: Route, client: string): Promise<void> {
  if (!ctx.deps.htpasswd) deny(403, 'DENIED', 'pushes need an authenticated client (--htpasswd)');
  if (route.kind === 'manifest' && req.method === 'PUT') return putManifest(ctx, req, res, route.name, route.reference, client);
  if (route.kind === 'upload') {
    const q = (req.url ?? '').indexOf('?');
    return forwardUpload(ctx, req, res, route.name, `/v2/${route.name}/blobs/uploads${route.rest}${q < 0 ? '' : (req.url ?? '').slice(q)}`);
  }
  deny(405, 'DENIED', `${req.method} ${route.kind} is not passed through`);
}
