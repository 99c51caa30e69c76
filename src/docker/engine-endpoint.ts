// Where the Docker engine is, by docker's own conventions: DOCKER_HOST (unix, tcp, ssh), DOCKER_TLS_VERIFY /
// DOCKER_TLS / DOCKER_CERT_PATH, and the current docker context (DOCKER_CONTEXT or the config's currentContext).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describeError, fail } from '../core/index.js';

/** TLS material for a tcp:// engine (PEM bytes); `verify: false` is docker's --tls without --tlsverify. */
export interface EngineTls {
  verify: boolean;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

/** An ssh:// engine: reached through `ssh [-l user] [-p port] -- host docker system dial-stdio`. */
export interface EngineSsh {
  host: string;
  user?: string;
  port?: number;
}

/** How to reach the engine. */
export interface EngineEndpoint {
  socketPath?: string;
  host?: string;
  port?: number;
  tls?: EngineTls;
  ssh?: EngineSsh;
  /** Human form for messages. */
  display: string;
}

const DEFAULT_SOCKET = '/var/run/docker.sock';

function dockerConfigDir(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_CONFIG || join(homedir(), '.docker');
}

function readPem(dir: string, name: string, required: boolean): Buffer | undefined {
  const file = join(dir, name);
  if (!required && !existsSync(file)) return undefined;
  try {
    return readFileSync(file);
  } catch (err) {
    return fail('ENVIRONMENT', `cannot read the engine's TLS ${name} at ${file}: ${describeError(err)}`, { hint: 'check DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem)' });
  }
}

/** TLS material from a folder holding ca.pem, cert.pem, key.pem (ca.pem required when verifying; cert and key go together). */
export function tlsFromDir(dir: string, verify: boolean): EngineTls {
  if (!existsSync(dir)) fail('ENVIRONMENT', `the engine's TLS folder ${dir} does not exist`, { hint: 'check DOCKER_CERT_PATH' });
  const tls: EngineTls = { verify, ca: readPem(dir, 'ca.pem', verify), cert: readPem(dir, 'cert.pem', false), key: readPem(dir, 'key.pem', false) };
  if (!tls.cert !== !tls.key) fail('ENVIRONMENT', `the engine's TLS folder ${dir} has ${tls.cert ? 'cert.pem without key.pem' : 'key.pem without cert.pem'}`);
  return tls;
}

/** TLS from docker's environment: DOCKER_TLS_VERIFY (verify against DOCKER_CERT_PATH/ca.pem) or DOCKER_TLS (no verify). */
function tlsFromEnv(env: NodeJS.ProcessEnv): EngineTls | undefined {
  const verify = !!env.DOCKER_TLS_VERIFY;
  if (!verify && !env.DOCKER_TLS) return undefined;
  return tlsFromDir(env.DOCKER_CERT_PATH || dockerConfigDir(env), verify);
}

/** Parses a docker host URL (unix://, tcp://, ssh://; a bare /path is a socket) with optional TLS material. */
export function parseDockerHost(dockerHost: string, tls?: EngineTls): EngineEndpoint {
  if (dockerHost.startsWith('unix://')) return { socketPath: dockerHost.slice(7), display: dockerHost };
  if (dockerHost.startsWith('/')) return { socketPath: dockerHost, display: `unix://${dockerHost}` };
  const tcp = /^tcp:\/\/(\[[0-9a-fA-F:.]+\]|[^:/[\]]+)(?::(\d+))?\/?$/.exec(dockerHost);
  if (tcp) {
    // docker's default ports: 2376 with TLS, 2375 without.
    const port = tcp[2] ? Number(tcp[2]) : tls ? 2376 : 2375;
    return { host: tcp[1].replace(/^\[|\]$/g, ''), port, tls, display: `${tls ? 'tcp+tls' : 'tcp'}://${tcp[1]}:${port}` };
  }
  const ssh = /^ssh:\/\/(?:([^@/:]+)@)?(\[[0-9a-fA-F:.]+\]|[^:/@[\]]+)(?::(\d+))?\/?$/.exec(dockerHost);
  if (ssh) return { ssh: { host: ssh[2].replace(/^\[|\]$/g, ''), user: ssh[1], port: ssh[3] ? Number(ssh[3]) : undefined }, display: dockerHost };
  return fail('USAGE', `unsupported Docker host ${dockerHost} (want unix://PATH, tcp://HOST:PORT or ssh://[USER@]HOST[:PORT])`);
}

/** The endpoint of a named docker context ($DOCKER_CONFIG/contexts/meta/<sha256 of name>/meta.json and its tls folder). */
export function contextEndpoint(name: string, env: NodeJS.ProcessEnv): EngineEndpoint | undefined {
  if (name === 'default') return undefined;
  const id = createHash('sha256').update(name).digest('hex');
  const dir = dockerConfigDir(env);
  let meta: { Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } } };
  try {
    meta = JSON.parse(readFileSync(join(dir, 'contexts', 'meta', id, 'meta.json'), 'utf8')) as typeof meta;
  } catch (err) {
    return fail('ENVIRONMENT', `docker context ${name}: cannot read its metadata in ${dir}: ${describeError(err)}`, { hint: 'see docker context ls' });
  }
  const docker = meta.Endpoints?.docker;
  if (!docker?.Host) fail('ENVIRONMENT', `docker context ${name} names no Docker endpoint`);
  const tlsDir = join(dir, 'contexts', 'tls', id, 'docker');
  const tls = existsSync(tlsDir) ? tlsFromDir(tlsDir, !docker.SkipTLSVerify) : docker.SkipTLSVerify ? { verify: false } : undefined;
  return { ...parseDockerHost(docker.Host, docker.Host.startsWith('tcp://') ? tls : undefined), display: `${docker.Host} (context ${name})` };
}

function currentContext(env: NodeJS.ProcessEnv): string | undefined {
  if (env.DOCKER_CONTEXT) return env.DOCKER_CONTEXT;
  try {
    return (JSON.parse(readFileSync(join(dockerConfigDir(env), 'config.json'), 'utf8')) as { currentContext?: string }).currentContext || undefined;
  } catch {
    return undefined;
  }
}

/** The engine docker itself would use: DOCKER_HOST (with docker's TLS variables), else the current context, else the default socket. */
export function engineEndpoint(dockerHost: string | undefined, env: NodeJS.ProcessEnv): EngineEndpoint {
  const host = dockerHost ?? env.DOCKER_HOST;
  if (host) return parseDockerHost(host, host.startsWith('tcp://') ? tlsFromEnv(env) : undefined);
  const context = currentContext(env);
  return (context && contextEndpoint(context, env)) || { socketPath: DEFAULT_SOCKET, display: `unix://${DEFAULT_SOCKET}` };
}
