// The gate's HTTP server: one dispatcher parses the route, authenticates the client, calls a handler and writes any
// error in the OCI format; close() drains in-flight requests (the CLI calls it on SIGTERM).
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serveBlob } from './blobs.js';
import { GateContext, type GateDeps } from './context.js';
import { serveManifest } from './manifests.js';
import { deny, GateError, rawBadRequest, toGateError, writeOciError } from './oci-error.js';
import { forwardWrite } from './push.js';
import { serveReferrers } from './referrers.js';
import { parseRoute, type Route } from './route.js';

/** Where and how the gate listens; without `tls` it speaks plain HTTP. */
export interface GateListen {
  host: string;
  port: number;
  tls?: { cert: Buffer | string; key: Buffer | string };
  /** Largest request header block accepted (default 16 KiB); larger ones get a 400. */
  maxHeaderBytes?: number;
}

/** A running gate. */
export interface GateServer {
  readonly url: string;
  readonly port: number;
  readonly context: GateContext;
  /** Stops accepting, lets in-flight requests finish (at most `graceMs`), then resolves. */
  close(graceMs?: number): Promise<void>;
}

const READS = new Set(['GET', 'HEAD']);

function json(res: ServerResponse, status: number, value: unknown, head: boolean, type = 'application/json'): void {
  const body = Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': String(body.length) });
  res.end(head ? undefined : body);
}

async function authenticate(ctx: GateContext, req: IncomingMessage): Promise<string> {
  const remote = req.socket.remoteAddress ?? 'unknown';
  if (!ctx.deps.htpasswd) return remote;
  const user = await ctx.deps.htpasswd.check(req.headers.authorization);
  if (!user) deny(401, 'UNAUTHORIZED', 'authentication required', undefined, { 'WWW-Authenticate': 'Basic realm="mlbuild gate"' });
  return `${user}@${remote}`;
}

async function dispatch(ctx: GateContext, req: IncomingMessage, res: ServerResponse, route: Route): Promise<void> {
  const method = req.method ?? 'GET';
  const head = method === 'HEAD';
  if (route.kind === 'health') return json(res, 200, { ok: true }, head);
  if (route.kind === 'metrics') return json(res, 200, ctx.metrics.render(), head, 'text/plain; version=0.0.4');
  const client = await authenticate(ctx, req);
  const write = !READS.has(method);
  if (write) {
    if (!ctx.deps.allowPush || route.kind === 'base' || route.kind === 'referrers' || route.kind === 'tags') {
      deny(405, 'DENIED', `${method} not allowed: this gate is read-only${ctx.deps.allowPush ? '' : ' (start it with --allow-push to pass pushes through)'}`);
    }
    return forwardWrite(ctx, req, res, route, client);
  }
  switch (route.kind) {
    case 'base':
      return json(res, 200, {}, head);
    case 'manifest':
      return serveManifest(ctx, req, res, route.name, route.reference, client);
    case 'blob':
      return serveBlob(ctx, req, res, route.name, route.digest);
    case 'referrers':
      return serveReferrers(ctx, res, route.name, route.digest, route.artifactType, head);
    case 'tags': {
      let tags: string[];
      try {
        tags = await ctx.deps.upstream.listTags({ registry: ctx.deps.upstreamHost, name: route.name });
      } catch (e) {
        throw toGateError(e, `tags of ${route.name}`, 'NAME_UNKNOWN');
      }
      return json(res, 200, { name: route.name, tags }, head);
    }
    case 'upload':
      deny(405, 'DENIED', 'uploads need a write method');
  }
}

/** Starts the gate over `deps` on `listen`; resolves once it accepts connections. */
export async function startGate(deps: GateDeps, listen: GateListen): Promise<GateServer> {
  const ctx = new GateContext(deps);
  let draining = false;
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
    if (draining) res.setHeader('Connection', 'close');
    const head = req.method === 'HEAD';
    let route: Route | undefined;
    Promise.resolve()
      .then(async () => {
        if (deps.admission && (req.url ?? '').startsWith('/admission/') && (await deps.admission(req, res))) return;
        route = parseRoute(req.url ?? '/');
        if (!route) deny(404, 'NAME_UNKNOWN', 'not an OCI distribution API path');
        return dispatch(ctx, req, res, route);
      })
      .catch((e: unknown) => {
        const g = e instanceof GateError ? e : toGateError(e, `${req.method} ${route?.kind ?? 'request'}`);
        if (g.status >= 500 && !(e instanceof GateError)) ctx.events({ type: 'log', level: 'warn', message: `gate: ${g.message}` });
        writeOciError(res, g, head);
      });
  };
  const opts = { maxHeaderSize: listen.maxHeaderBytes ?? 16 * 1024 };
  const server: Server = listen.tls ? createHttps({ ...opts, cert: listen.tls.cert, key: listen.tls.key }, handler) : createHttp(opts, handler);
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const why = err.code === 'HPE_HEADER_OVERFLOW' ? 'request headers too large' : 'malformed request';
    socket.end(rawBadRequest(why));
  });
  await new Promise<void>((ok, bad) => {
    server.once('error', bad);
    server.listen(listen.port, listen.host, () => {
      server.off('error', bad);
      ok();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  return {
    url: `${listen.tls ? 'https' : 'http'}://${host}:${port}`,
    port,
    context: ctx,
    close(graceMs = 30_000) {
      draining = true;
      return new Promise<void>((ok) => {
        const hard = setTimeout(() => server.closeAllConnections(), graceMs);
        // Connections turn idle as their in-flight responses finish: close each as soon as it does.
        const idle = setInterval(() => server.closeIdleConnections(), 50);
        server.close(() => {
          clearTimeout(hard);
          clearInterval(idle);
          ok();
        });
        server.closeIdleConnections();
      });
    },
  };
}
