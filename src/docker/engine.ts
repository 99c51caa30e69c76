// A narrow Docker Engine API client (only the calls mlbuild uses) over the engine's socket, TCP, TLS or ssh.
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { fail, describeError, MlbuildError } from '../core/index.js';
import type { EngineEndpoint } from './engine-endpoint.js';
import { engineRequest } from './engine-transport.js';

/** The subset of `GET /images/{name}/json` mlbuild reads. */
export interface ImageInspect {
  Id: string;
  RepoTags: string[] | null;
  RepoDigests: string[] | null;
  Created?: string;
  Architecture?: string;
  Os?: string;
  RootFS: { Type: string; Layers?: string[] };
  GraphDriver?: { Name: string; Data: Record<string, string> | null };
  Config?: { Labels?: Record<string, string> | null };
}

/** A Docker Engine API client with only the calls used here. */
export class DockerEngine {
  /** `export` forces the engine's export stream for image layers instead of reading overlay2 in place. */
  constructor(
    readonly endpoint: EngineEndpoint,
    readonly layerRead: 'auto' | 'export' = 'auto',
  ) {}

  /** Sends a request; returns the raw response (status not checked). */
  raw(method: string, path: string, body?: Buffer | string, headers: OutgoingHttpHeaders = body ? { 'content-type': 'application/json' } : {}): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = engineRequest(this.endpoint, method, path, headers, resolve);
      req.on('error', (err) =>
        reject(new MlbuildError('ENGINE_UNAVAILABLE', `cannot reach the Docker engine at ${this.endpoint.display}: ${connectFailure(err)}`, {
          hint: this.endpoint.tls ? 'check the engine address and DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem)' : 'start dockerd (or set DOCKER_HOST) and try again',
          cause: err,
        })),
      );
      req.end(body);
    });
  }

  /** Sends a request and parses a JSON reply; 404 → NOT_FOUND, other errors → ENVIRONMENT. */
  async json<T>(method: string, path: string, what: string, body?: unknown): Promise<T> {
    const res = await this.raw(method, path, body === undefined ? undefined : JSON.stringify(body));
    const text = await readAll(res);
    if (res.statusCode === 404) fail('NOT_FOUND', `${what}: not found in the Docker engine`);
    if ((res.statusCode ?? 500) >= 300) fail('ENVIRONMENT', `${what}: engine answered ${res.statusCode}: ${engineMessage(text)}`);
    return parseReply<T>(text, what);
  }

  /** Checks the engine answers. */
  async ping(): Promise<void> {
    const res = await this.raw('GET', '/_ping');
    await readAll(res);
    if (res.statusCode !== 200) fail('ENGINE_UNAVAILABLE', `Docker engine at ${this.endpoint.display} answered ${res.statusCode} to ping`);
  }

  /** `docker image inspect`. */
  inspectImage(ref: string): Promise<ImageInspect> {
    return this.json('GET', `/images/${encodeURIComponent(ref)}/json`, `image ${ref}`);
  }

  /** `docker save` as a byte stream. */
  async exportImage(ref: string): Promise<IncomingMessage> {
    const res = await this.raw('GET', `/images/${encodeURIComponent(ref)}/get`);
    if (res.statusCode !== 200) {
      const text = await readAll(res);
      fail(res.statusCode === 404 ? 'NOT_FOUND' : 'ENVIRONMENT', `export of ${ref} failed: ${engineMessage(text)}`);
    }
    return res;
  }

  /** `docker tag SOURCE REPO:TAG`. */
  async tagImage(source: string, repo: string, tag: string): Promise<void> {
    await this.json('POST', `/images/${encodeURIComponent(source)}/tag?repo=${encodeURIComponent(repo)}&tag=${encodeURIComponent(tag)}`, `tag ${repo}:${tag}`);
  }

  /** `docker rmi` (no prune of parents, not forced). */
  async removeImage(ref: string): Promise<void> {
    await this.json('DELETE', `/images/${encodeURIComponent(ref)}?noprune=1`, `remove ${ref}`);
  }
}

/** Reads a whole response body. */
export async function readAll(res: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of res) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/** One line on why a connection failed; OpenSSL's multi-line reports are cut to their reason ("tlsv13 alert certificate required"). */
export function connectFailure(err: unknown): string {
  const text = describeError(err);
  const ssl = /SSL routines:[^:]*:([^:\n]+)/.exec(text);
  if (ssl) return `TLS handshake failed: ${ssl[1].trim()}`;
  return text.split('\n')[0].trim();
}

/** Parses a JSON reply; an empty or blank body (Podman answers tag with "\n") is undefined, garbage an ENVIRONMENT error. */
function parseReply<T>(text: Buffer, what: string): T {
  const s = text.toString('utf8').trim();
  if (!s) return undefined as T;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fail('ENVIRONMENT', `${what}: the engine answered with a body that is not JSON: ${s.slice(0, 80)}`);
  }
}

function engineMessage(text: Buffer): string {
  try {
    return (JSON.parse(text.toString('utf8')) as { message?: string }).message ?? text.toString('utf8').slice(0, 200);
  } catch {
    return text.toString('utf8').slice(0, 200).trim();
  }
}
