import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the git server answered, for assertions such as "the build cloned the model". */
export interface GitRequest {
  method: string;
  path: string;
  status: number;
}

/** A running git smart-HTTP server: repositories under ROOT are at `${url}/org/name`. */
export interface GitServer {
  url: string;
  port: number;
  requests: GitRequest[];
  close(): Promise<void>;
}

/** Serves the git repositories under rootDir over smart HTTP (git http-backend as CGI) on 127.0.0.1, random port. */
export async function startGitServer(rootDir: string): Promise<GitServer> {
  const requests: GitRequest[] = [];
  const server = createServer((req, res) => {
    serveCgi(rootDir, req, res, (status) => requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', status }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function serveCgi(root: string, req: IncomingMessage, res: ServerResponse, done: (status: number) => void): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const pathInfo = withoutDotGit(root, decodeURIComponent(url.pathname));
  if (pathInfo.split('/').includes('..')) {
    res.writeHead(403).end('forbidden\n');
    done(403);
    return;
  }
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
    SERVER_SOFTWARE: 'mlbuild-test-git',
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: pathInfo,
    QUERY_STRING: url.search.replace(/^\?/, ''),
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    GIT_PROTOCOL: header(req, 'git-protocol'),
  };
  if (req.headers['content-length']) env.CONTENT_LENGTH = req.headers['content-length'];
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) env[`HTTP_${name.toUpperCase().replace(/-/g, '_')}`] = Array.isArray(value) ? value.join(', ') : value;
  }
  const cgi = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const errors: Buffer[] = [];
  cgi.stderr.on('data', (b: Buffer) => errors.push(b));
  cgi.stdin.on('error', () => {});
  req.pipe(cgi.stdin);

  let head = Buffer.alloc(0);
  let headersSent = false;
  cgi.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = findHeaderEnd(head);
    if (!end) return;
    const { status, headers } = parseCgiHeaders(head.subarray(0, end.at).toString('latin1'));
    res.writeHead(status, headers);
    headersSent = true;
    done(status);
    const rest = head.subarray(end.at + end.length);
    if (rest.length) res.write(rest);
  });
  cgi.on('close', (code) => {
    if (!headersSent) {
      const message = `git http-backend exited ${code}: ${Buffer.concat(errors).toString().trim()}\n`;
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(message);
      done(500);
    } else {
      res.end();
    }
  });
  cgi.on('error', (err) => {
    if (!headersSent) res.writeHead(500).end(`${err.message}\n`);
    else res.destroy(err);
  });
}

// Like hosted git services, accept `org/name.git` for a (non-bare) repository stored as `org/name`.
function withoutDotGit(root: string, pathInfo: string): string {
  const m = /^(.*?)\.git(\/.*)$/.exec(pathInfo);
  if (!m || existsSync(join(root, `${m[1]}.git`))) return pathInfo;
  return `${m[1]}${m[2]}`;
}

function header(req: IncomingMessage, name: string): string {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : (v ?? '');
}

function findHeaderEnd(buf: Buffer): { at: number; length: number } | undefined {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) return { at: crlf, length: 4 };
  if (lf >= 0) return { at: lf, length: 2 };
  return undefined;
}

function parseCgiHeaders(text: string): { status: number; headers: Record<string, string> } {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim();
    const value = line.slice(i + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else headers[name] = value;
  }
  return { status, headers };
}

// Repository fixtures live in git-repo.ts; re-exported here so tests find server and repos in one place.
export { makeModelRepo, commitFiles } from './git-repo.js';
