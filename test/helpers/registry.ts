import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { docker } from './docker.js';

/** Anonymous CNCF distribution 2.8 registry started by scripts/setup-env.sh (plain HTTP; no referrers API). */
export const REGISTRY = '127.0.0.1:5000';
/** The same registry with htpasswd basic auth (401 without credentials). */
export const AUTH_REGISTRY = '127.0.0.1:5001';
/** Credentials of {@link AUTH_REGISTRY}. */
export const AUTH_USER = 'mlbuild';
/** Password of {@link AUTH_USER}. */
export const AUTH_PASSWORD = 'mlbuild-test';

/** `Basic …` header value for {@link AUTH_REGISTRY}. */
export function basicAuthHeader(user = AUTH_USER, password = AUTH_PASSWORD): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** A repository name no other test uses, e.g. `test/push-1a2b3c4d` (registries are shared across test files). */
export function uniqueRepo(prefix = 'repo'): string {
  return `test/${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Writes a DOCKER_CONFIG folder whose config.json holds basic-auth entries (no daemon call); returns its path. */
export async function writeDockerConfig(
  auths: Record<string, { user: string; password: string }> = { [AUTH_REGISTRY]: { user: AUTH_USER, password: AUTH_PASSWORD } },
  dir?: string,
): Promise<string> {
  const target = dir ?? (await mkdtemp(join(tmpdir(), 'mlbuild-test-dockercfg-')));
  const entries = Object.fromEntries(
    Object.entries(auths).map(([host, c]) => [host, { auth: Buffer.from(`${c.user}:${c.password}`).toString('base64') }]),
  );
  await writeFile(join(target, 'config.json'), JSON.stringify({ auths: entries }, null, 2));
  return target;
}

/** Runs a real `docker login` to {@link AUTH_REGISTRY} into a fresh (or given) DOCKER_CONFIG folder; returns it. */
export async function registryLogin(dockerConfig?: string): Promise<string> {
  const dir = dockerConfig ?? (await mkdtemp(join(tmpdir(), 'mlbuild-test-dockercfg-')));
  await docker(['login', '-u', AUTH_USER, '--password-stdin', AUTH_REGISTRY], {
    dockerConfig: dir,
    input: AUTH_PASSWORD,
    check: true,
  });
  return dir;
}

/** Where a pushed image landed: the full reference and the manifest digest the registry reported. */
export interface PushedImage {
  ref: string;
  digest: string;
}

/** Tags local image SOURCE as TARGET (`HOST:PORT/repo:tag`) and pushes it; pass dockerConfig for the auth registry. */
export async function pushImage(source: string, target: string, opts: { dockerConfig?: string } = {}): Promise<PushedImage> {
  await docker(['tag', source, target], { check: true });
  const r = await docker(['push', target], { check: true, dockerConfig: opts.dockerConfig, timeoutMs: 170_000 });
  const m = /digest: (sha256:[0-9a-f]{64})/.exec(r.stdout);
  if (!m) throw new Error(`docker push ${target}: no digest in output\n${r.stdout}`);
  return { ref: target, digest: m[1] };
}

/** Media types accepted when reading manifests (distribution 2.8 needs the OCI ones listed to return OCI manifests). */
export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** GETs a manifest straight from a test registry over HTTP; returns status, digest header, media type and body. */
export async function fetchManifest(
  registry: string,
  repo: string,
  reference: string,
  auth?: string,
): Promise<{ status: number; digest: string | null; mediaType: string | null; body: string }> {
  const headers: Record<string, string> = { Accept: MANIFEST_ACCEPT };
  if (auth) headers.Authorization = auth;
  const res = await fetch(`http://${registry}/v2/${repo}/manifests/${reference}`, { headers });
  return {
    status: res.status,
    digest: res.headers.get('docker-content-digest'),
    mediaType: res.headers.get('content-type'),
    body: await res.text(),
  };
}
