// Registry authentication: anonymous, HTTP basic, and the bearer token flow, with tokens cached per scope.
import { fail } from '../core/errors.js';
import type { Credentials } from './docker-config.js';
import { responseError } from './errors.js';
import { registryFetch, type FetchPolicy } from './fetch.js';
import { parseWwwAuthenticate, type Challenge } from './www-authenticate.js';

/** Looks up credentials for a registry host (undefined means anonymous). */
export type CredentialSource = (registry: string) => Promise<Credentials | undefined>;

/** The token scope for a repository, e.g. `repository:ns/app:pull,push`. */
export function repositoryScope(name: string, actions: 'pull' | 'push' | 'delete'): string {
  const list = actions === 'pull' ? 'pull' : actions === 'push' ? 'pull,push' : 'delete';
  return `repository:${name}:${list}`;
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

function basicHeader(c: Credentials): string | undefined {
  return c.kind === 'basic' ? `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}` : undefined;
}

/** Adds the right `Authorization` to requests of one registry and learns the scheme from 401 challenges. */
export class Authorizer {
  private mode: 'none' | 'basic' | 'bearer' = 'none';
  private bearer?: Challenge;
  private readonly tokens = new Map<string, CachedToken>();
  private creds?: Promise<Credentials | undefined>;

  constructor(
    private readonly registry: string,
    private readonly credentials: CredentialSource,
    private readonly policy: FetchPolicy,
  ) {}

  private credentialsOnce(): Promise<Credentials | undefined> {
    this.creds ??= this.credentials(this.registry);
    return this.creds;
  }

  /** The `Authorization` header for a request needing `scopes`, when the scheme is already known. */
  async header(scopes: string[]): Promise<string | undefined> {
    if (this.mode === 'basic') {
      const c = await this.credentialsOnce();
      return c ? basicHeader(c) : undefined;
    }
    if (this.mode === 'bearer') {
      const key = scopes.slice().sort().join(' ');
      const cached = this.tokens.get(key);
      if (cached && cached.expiresAt > Date.now()) return `Bearer ${cached.token}`;
      return `Bearer ${await this.fetchToken(scopes)}`;
    }
    return undefined;
  }

  /** Handles a 401 answer; true when a retry of the request may now carry valid authorization. */
  async challenge(res: Response, scopes: string[]): Promise<boolean> {
    const challenges = parseWwwAuthenticate(res.headers.get('www-authenticate') ?? '');
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
    if (bearer) {
      this.mode = 'bearer';
      this.bearer = bearer;
      const extra = (bearer.params.scope ?? '').split(' ').filter(Boolean);
      await this.fetchToken([...new Set([...scopes, ...extra])], scopes.slice().sort().join(' '));
      return true;
    }
    if (challenges.some((c) => c.scheme === 'basic')) {
      if (this.mode === 'basic') return false;
      this.mode = 'basic';
      return (await this.credentialsOnce())?.kind === 'basic';
    }
    return false;
  }

  private async fetchToken(scopes: string[], cacheKey = scopes.slice().sort().join(' ')): Promise<string> {
    const realm = this.bearer?.params.realm;
    if (!realm) fail('REGISTRY_ERROR', `${this.registry}: bearer challenge without realm`);
    let url: URL;
    try {
      url = new URL(realm);
    } catch (e) {
      fail('REGISTRY_ERROR', `${this.registry}: invalid token realm ${realm}`, { cause: e });
    }
    const service = this.bearer?.params.service;
    const creds = await this.credentialsOnce();
    const what = `token for ${this.registry}`;
    let res: Response;
    if (creds?.kind === 'identity') {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.identityToken, client_id: 'mlbuild' });
      if (service) form.set('service', service);
      if (scopes.length > 0) form.set('scope', scopes.join(' '));
      const headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
      res = await registryFetch({ method: 'POST', url, headers, body: form.toString(), retry: true, what }, this.policy);
    } else {
      if (service) url.searchParams.set('service', service);
      for (const s of scopes) url.searchParams.append('scope', s);
      if (creds?.kind === 'basic') url.searchParams.set('account', creds.username);
      const auth = creds ? basicHeader(creds) : undefined;
      res = await registryFetch({ method: 'GET', url, headers: auth ? { Authorization: auth } : {}, retry: true, what }, this.policy);
    }
    if (!res.ok) throw await responseError(res, what, this.registry);
    const body = (await res.json().catch(() => ({}))) as { token?: string; access_token?: string; expires_in?: number };
    const token = body.token ?? body.access_token;
    if (!token) fail('REGISTRY_ERROR', `${what}: the token service answered without a token`);
    const lifetime = Math.max(60, body.expires_in ?? 60) * 1000;
    this.tokens.set(cacheKey, { token, expiresAt: Date.now() + lifetime - 10_000 });
    return token;
  }
}
