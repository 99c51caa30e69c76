// A small HTTP proxy in front of a real registry that injects faults a real registry cannot produce on demand,
// and can answer the OCI referrers API from the tag-schema fallback index (distribution 2.8 has no such API).
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** What to do to a matching request. */
export type Fault =
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'delay'; ms: number }
  | { kind: 'corrupt' }
  | { kind: 'truncate'; keep?: number }
  | { kind: 'replace'; body: Buffer | string; contentType?: string; status?: number };

/** A fault for requests whose method and path match, applied `times` times (default: always). */
export interface FaultRule {
  method?: string;
  path: RegExp | string;
  fault: Fault;
  times?: number;
}

/** How the proxy answers `GET /v2/<name>/referrers/<digest>`. */
export interface ReferrersApiMode {
  pageSize?: number;
  /** Apply `?artifactType=` itself and say so with `OCI-Filters-Applied`. */
  applyFilter?: boolean;
}

/** One request seen by the proxy. */
export interface SeenRequest {
  method: string;
  path: string;
  userAgent?: string;
  status?: number;
}

async function collect(stream: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/** The proxy; `host` is `127.0.0.1:<port>`. */
export class FaultProxy {
  readonly seen: SeenRequest[] = [];
  referrersApi: ReferrersApiMode | false = false;
  private rules: (FaultRule & { left: number })[] = [];

  private constructor(
    private readonly server: Server,
    readonly host: string,
    private readonly upstream: URL,
  ) {}

  /** Starts a proxy on a free port in front of `upstream` (e.g. `http://127.0.0.1:5100`). */
  static async start(upstream: string): Promise<FaultProxy> {
    const holder: { proxy?: FaultProxy } = {};
    const server = createServer((req, res) => {
      holder.proxy?.handle(req, res).catch(() => res.destroy());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    const proxy = new FaultProxy(server, `127.0.0.1:${port}`, new URL(upstream));
    holder.proxy = proxy;
    return proxy;
  }

  /** Adds a fault rule; earlier rules win. */
  add(rule: FaultRule): void {
    this.rules.push({ ...rule, left: rule.times ?? Infinity });
  }

  /** Removes every rule, turns the referrers API off and forgets seen requests. */
  reset(): void {
    this.rules = [];
    this.referrersApi = false;
    this.seen.length = 0;
  }

  /** Stops the proxy. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  private take(method: string, path: string): Fault | undefined {
    const rule = this.rules.find(
      (r) => r.left > 0 && (!r.method || r.method === method) && (typeof r.path === 'string' ? path.includes(r.path) : r.path.test(path)),
    );
    if (!rule) return undefined;
    rule.left--;
    return rule.fault;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const seen: SeenRequest = { method, path, userAgent: req.headers['user-agent'] };
    this.seen.push(seen);
    res.on('finish', () => (seen.status = res.statusCode));
    const body = await collect(req);
    const fault = this.take(method, path);
    if (fault?.kind === 'status') {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (fault.retryAfter) headers['Retry-After'] = fault.retryAfter;
      res.writeHead(fault.status, headers);
      res.end(JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'injected fault', detail: { status: fault.status } }] }));
      return;
    }
    if (fault?.kind === 'replace') {
      const data = Buffer.from(fault.body);
      res.writeHead(fault.status ?? 200, { 'Content-Type': fault.contentType ?? 'application/vnd.oci.image.index.v1+json', 'Content-Length': String(data.length) });
      res.end(method === 'HEAD' ? undefined : data);
      return;
    }
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
    const api = /^\/v2\/(.+)\/referrers\/sha256:([a-f0-9]{64})(?:\?.*)?$/.exec(path);
    if (this.referrersApi && method === 'GET' && api) {
      await this.answerReferrers(res, api[1] ?? '', api[2] ?? '', new URL(path, 'http://x'));
      return;
    }
    const up = await this.forward(method, path, req.headers, body);
    let payload = up.body;
    if (fault?.kind === 'corrupt' && payload.length > 0) {
      payload = Buffer.from(payload);
      const i = Math.floor(payload.length / 2);
      payload[i] = (payload[i] ?? 0) ^ 0xff;
    }
    res.writeHead(up.status, up.headers);
    if (fault?.kind === 'truncate' && payload.length > 0) {
      res.write(payload.subarray(0, fault.keep ?? Math.floor(payload.length / 2)));
      setTimeout(() => res.destroy(), 20);
      return;
    }
    res.end(method === 'HEAD' ? undefined : payload);
  }

  private async forward(method: string, path: string, headers: IncomingMessage['headers'], body: Buffer) {
    return new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
      const sent = { ...headers, 'content-length': String(body.length) };
      delete sent['transfer-encoding'];
      const up = request(
        { host: this.upstream.hostname, port: this.upstream.port, method, path, headers: sent },
        (r) => {
          collect(r).then((b) => resolve({ status: r.statusCode ?? 502, headers: r.headers, body: b }), reject);
        },
      );
      up.on('error', reject);
      up.end(body);
    });
  }

  private async answerReferrers(res: ServerResponse, name: string, hex: string, url: URL): Promise<void> {
    const mode = this.referrersApi || {};
    const up = await this.forward('GET', `/v2/${name}/manifests/sha256-${hex}`, { accept: 'application/vnd.oci.image.index.v1+json' }, Buffer.alloc(0));
    let manifests: { artifactType?: string }[] = [];
    if (up.status === 200) manifests = (JSON.parse(up.body.toString()) as { manifests?: { artifactType?: string }[] }).manifests ?? [];
    const artifactType = url.searchParams.get('artifactType');
    const headers: Record<string, string> = { 'Content-Type': 'application/vnd.oci.image.index.v1+json' };
    if (artifactType && mode.applyFilter) {
      manifests = manifests.filter((m) => m.artifactType === artifactType);
      headers['OCI-Filters-Applied'] = 'artifactType';
    }
    const size = mode.pageSize ?? (manifests.length || 1);
    const page = Number(url.searchParams.get('page') ?? '0');
    const slice = manifests.slice(page * size, (page + 1) * size);
    if ((page + 1) * size < manifests.length) {
      const next = new URL(url);
      next.searchParams.set('page', String(page + 1));
      headers.Link = `<${next.pathname}${next.search}>; rel="next"`;
    }
    res.writeHead(200, headers);
    res.end(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: slice }));
  }
}
