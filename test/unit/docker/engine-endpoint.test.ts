// Reading the engine's address the way docker does: DOCKER_HOST forms, TLS variables and folders, docker contexts.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMlbuildError } from '../../../src/core/index.js';
import { engineEndpoint, parseDockerHost } from '../../../src/docker/engine-endpoint.js';
import { sshDialArgs } from '../../../src/docker/ssh-dial.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlbuild-endpoint-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isMlbuildError(err) ? err.code : String(err);
  }
  return undefined;
}

async function pems(sub: string, names: string[]): Promise<string> {
  const d = join(dir, sub);
  await mkdir(d, { recursive: true });
  for (const n of names) await writeFile(join(d, n), `${n} bytes`);
  return d;
}

describe('parseDockerHost', () => {
  it('reads unix, tcp (docker default ports) and ssh hosts', () => {
    expect(parseDockerHost('unix:///run/podman/podman.sock').socketPath).toBe('/run/podman/podman.sock');
    expect(parseDockerHost('tcp://10.0.0.2:2375')).toMatchObject({ host: '10.0.0.2', port: 2375 });
    expect(parseDockerHost('tcp://engine.example')).toMatchObject({ host: 'engine.example', port: 2375 });
    expect(parseDockerHost('tcp://engine.example', { verify: true })).toMatchObject({ port: 2376 });
    expect(parseDockerHost('tcp://[::1]:2376')).toMatchObject({ host: '::1', port: 2376 });
    expect(parseDockerHost('ssh://deploy@build-host:2222').ssh).toEqual({ host: 'build-host', user: 'deploy', port: 2222 });
    expect(parseDockerHost('ssh://build-host').ssh).toEqual({ host: 'build-host', user: undefined, port: undefined });
  });

  it('refuses other schemes as a usage error', () => {
    expect(code(() => parseDockerHost('npipe:////./pipe/docker_engine'))).toBe('USAGE');
    expect(code(() => parseDockerHost('http://x:1'))).toBe('USAGE');
  });

  it("runs ssh as docker does: ssh [-l user] [-p port] -- host docker system dial-stdio", () => {
    expect(sshDialArgs({ host: 'h', user: 'u', port: 22 })).toEqual(['-o', 'ConnectTimeout=30', '-T', '-l', 'u', '-p', '22', '--', 'h', 'docker', 'system', 'dial-stdio']);
  });
});

describe('engineEndpoint', () => {
  it('DOCKER_TLS_VERIFY reads ca.pem, cert.pem and key.pem from DOCKER_CERT_PATH', async () => {
    const certs = await pems('tls', ['ca.pem', 'cert.pem', 'key.pem']);
    const e = engineEndpoint(undefined, { DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs });
    expect(e.tls?.verify).toBe(true);
    expect(e.tls?.ca?.toString()).toBe('ca.pem bytes');
    expect(e.tls?.key?.toString()).toBe('key.pem bytes');
    expect(engineEndpoint(undefined, { DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_TLS: '1', DOCKER_CERT_PATH: certs }).tls?.verify).toBe(false);
    expect(engineEndpoint(undefined, { DOCKER_HOST: 'tcp://127.0.0.1:2375' }).tls).toBeUndefined();
  });

  it('a missing cert folder, a missing ca.pem or a cert without its key is an environment error', async () => {
    const noCa = await pems('no-ca', ['cert.pem', 'key.pem']);
    const noKey = await pems('no-key', ['ca.pem', 'cert.pem']);
    for (const path of [join(dir, 'nowhere'), noCa, noKey]) {
      expect(code(() => engineEndpoint(undefined, { DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: path }))).toBe('ENVIRONMENT');
    }
  });

  it('without DOCKER_HOST, the current docker context (DOCKER_CONTEXT, else config.json) names the engine', async () => {
    const config = join(dir, 'docker-config');
    const id = createHash('sha256').update('remote').digest('hex');
    await mkdir(join(config, 'contexts', 'meta', id), { recursive: true });
    await writeFile(join(config, 'contexts', 'meta', id, 'meta.json'), JSON.stringify({ Name: 'remote', Endpoints: { docker: { Host: 'ssh://ci@builder', SkipTLSVerify: false } } }));
    expect(engineEndpoint(undefined, { DOCKER_CONFIG: config, DOCKER_CONTEXT: 'remote' }).ssh).toMatchObject({ host: 'builder', user: 'ci' });
    await writeFile(join(config, 'config.json'), JSON.stringify({ currentContext: 'remote' }));
    expect(engineEndpoint(undefined, { DOCKER_CONFIG: config }).ssh?.host).toBe('builder');
    expect(engineEndpoint(undefined, { DOCKER_CONFIG: config, DOCKER_HOST: 'unix:///x.sock' }).socketPath).toBe('/x.sock');
    expect(engineEndpoint(undefined, { DOCKER_CONFIG: config, DOCKER_CONTEXT: 'default' }).socketPath).toBe('/var/run/docker.sock');
    expect(code(() => engineEndpoint(undefined, { DOCKER_CONFIG: config, DOCKER_CONTEXT: 'absent' }))).toBe('ENVIRONMENT');
  });
});
