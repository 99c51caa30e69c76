// The bearer token flow against a loopback server that challenges like Docker Hub (no token-auth registry in CI).
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMlbuildError } from '../../../src/core/errors.js';
import { RegistryClient } from '../../../src/registry/index.js';

let server: Server;
let host: string;
const tokenRequests: URLSearchParams[] = [];
const tokenPosts: URLSearchParams[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/token') {
      if (req.method === 'POST') {
        let body = '';
        req.on('data', (d: Buffer) => (body += d.toString()));
        req.on('end', () => {
          const form = new URLSearchParams(body);
          tokenPosts.push(form);
          res.writeHead(form.get('refresh_token') === 'refresh' ? 200 : 401, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ access_token: `tok:${form.get('scope')}` }));
        });
        return;
      }
      tokenRequests.push(url.searchParams);
      const ok = req.headers.authorization === `Basic ${Buffer.from('u:p').toString('base64')}`;
      res.writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' });
      res.end(ok ? JSON.stringify({ token: `tok:${url.searchParams.getAll('scope').join(' ')}`, expires_in: 300 }) : '{}');
      return;
    }
    const name = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname)?.[1] ?? '';
    const scope = `repository:${name}:pull`;
    if (req.headers.authorization !== `Bearer tok:${scope}`) {
      res.writeHead(401, {
        'WWW-Authenticate': `Bearer realm="http://${host}/token",service="test-registry",scope="${scope}"`,
        'Content-Type': 'application/json',
      });
      res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ name, tags: ['v1'] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  host = `127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(() => new Promise((r) => server.close(r)));

describe('bearer token flow', () => {
  it('fetches a token for the challenged scope with basic credentials and caches it per scope', async () => {
    tokenRequests.length = 0;
    const client = new RegistryClient({ credentials: async () => ({ kind: 'basic', username: 'u', password: 'p' }) });
    expect(await client.listTags(`${host}/ns/a`)).toEqual(['v1']);
    expect(await client.listTags(`${host}/ns/a`)).toEqual(['v1']);
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0]?.get('service')).toBe('test-registry');
    expect(tokenRequests[0]?.getAll('scope')).toEqual(['repository:ns/a:pull']);
    expect(tokenRequests[0]?.get('account')).toBe('u');
    expect(await client.listTags(`${host}/ns/b`)).toEqual(['v1']);
    expect(tokenRequests).toHaveLength(2);
  });

  it('uses an identity token with the OAuth2 refresh grant', async () => {
    tokenPosts.length = 0;
    const client = new RegistryClient({ credentials: async () => ({ kind: 'identity', identityToken: 'refresh' }) });
    expect(await client.listTags(`${host}/ns/c`)).toEqual(['v1']);
    expect(tokenPosts[0]?.get('grant_type')).toBe('refresh_token');
    expect(tokenPosts[0]?.get('service')).toBe('test-registry');
  });

  it('turns a refused token into a coded auth error', async () => {
    const client = new RegistryClient({ credentials: async () => ({ kind: 'basic', username: 'u', password: 'bad' }) });
    const err = await client.listTags(`${host}/ns/d`).catch((e: unknown) => e);
    expect(isMlbuildError(err, 'REGISTRY_ERROR')).toBe(true);
    expect(err).toMatchObject({ status: 401 });
  });
});
