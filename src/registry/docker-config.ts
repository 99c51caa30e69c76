// Credentials from the docker CLI's config: `auths`, `credsStore`, `credHelpers` (DOCKER_CONFIG honoured).
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fail } from '../core/errors.js';
import { DOCKER_HUB, DOCKER_HUB_API } from './reference.js';

/** Credentials for one registry: a user name and password, or an OAuth2 identity (refresh) token. */
export type Credentials =
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'identity'; username?: string; identityToken: string };

/** The parts of `config.json` this client reads. */
export interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/** The key docker uses for Docker Hub in `auths` and credential stores. */
export const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';

/** The folder holding `config.json`: `$DOCKER_CONFIG`, else `~/.docker`. */
export function dockerConfigDir(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_CONFIG || join(homedir(), '.docker');
}

/** Reads `config.json`; a missing file is an empty config, a malformed one a coded error. */
export async function loadDockerConfig(dir = dockerConfigDir({})): Promise<DockerConfig> {
  const path = join(dir, 'config.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    fail('ENVIRONMENT', `cannot read ${path}`, { cause: e });
  }
  try {
    return JSON.parse(text) as DockerConfig;
  } catch (e) {
    fail('CORRUPT_INPUT', `${path} is not valid JSON`, { cause: e });
  }
}

/** The host part of an `auths` key, which may be a URL (`https://host/v1/`) or a bare host. */
export function normalizeServerKey(key: string): string {
  const host = key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
  return host === 'index.docker.io' || host === DOCKER_HUB_API ? DOCKER_HUB : host;
}

function fromAuthEntry(e: NonNullable<DockerConfig['auths']>[string]): Credentials | undefined {
  if (e.identitytoken) return { kind: 'identity', identityToken: e.identitytoken, username: e.username };
  if (e.auth) {
    const plain = Buffer.from(e.auth, 'base64').toString('utf8');
    const colon = plain.indexOf(':');
    if (colon > 0) return { kind: 'basic', username: plain.slice(0, colon), password: plain.slice(colon + 1) };
  }
  if (e.username && e.password !== undefined) return { kind: 'basic', username: e.username, password: e.password };
  return undefined;
}

/** Runs `docker-credential-<helper> get` with the server URL on stdin; undefined when it has nothing stored. */
export async function runCredentialHelper(helper: string, serverUrl: string, timeoutMs = 20_000): Promise<Credentials | undefined> {
  if (!/^[\w.-]+$/.test(helper)) fail('CORRUPT_INPUT', `invalid credential helper name: ${helper}`);
  const program = `docker-credential-${helper}`;
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(program, ['get'], { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    // A helper that exits without reading stdin must not crash us with EPIPE.
    child.stdin.on('error', () => undefined);
    child.on('close', (c) => resolve({ code: c, stdout: out, stderr: err }));
    child.stdin.end(serverUrl);
  }).catch((e: unknown) => fail('ENVIRONMENT', `cannot run ${program}`, { cause: e }));
  const message = (stdout + stderr).trim();
  if (code !== 0) {
    if (/credentials not found/i.test(message)) return undefined;
    fail('ENVIRONMENT', `${program} get failed (exit ${code}): ${message.slice(0, 200)}`);
  }
  let json: { Username?: string; Secret?: string };
  try {
    json = JSON.parse(stdout) as { Username?: string; Secret?: string };
  } catch (e) {
    fail('ENVIRONMENT', `${program} get printed something that is not JSON`, { cause: e });
  }
  if (!json.Secret) return undefined;
  if (json.Username === '<token>') return { kind: 'identity', identityToken: json.Secret };
  return { kind: 'basic', username: json.Username ?? '', password: json.Secret };
}

/** Finds credentials for a registry host: its credHelper, else the credsStore, else `auths`. */
export async function credentialsFor(registry: string, config: DockerConfig): Promise<Credentials | undefined> {
  const host = normalizeServerKey(registry);
  const serverUrl = host === DOCKER_HUB ? DOCKER_HUB_SERVER : host;
  const helperKey = Object.keys(config.credHelpers ?? {}).find((k) => normalizeServerKey(k) === host);
  const helper = helperKey ? config.credHelpers?.[helperKey] : config.credsStore;
  if (helper) {
    const found = await runCredentialHelper(helper, serverUrl);
    if (found) return found;
  }
  for (const [key, entry] of Object.entries(config.auths ?? {})) {
    if (normalizeServerKey(key) === host) {
      const found = fromAuthEntry(entry);
      if (found) return found;
    }
  }
  return undefined;
}
