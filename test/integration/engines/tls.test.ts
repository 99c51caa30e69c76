// A TLS tcp:// engine (a TLS relay with client certificates in front of dockerd's socket), reached with docker's
// own conventions: DOCKER_HOST + DOCKER_TLS_VERIFY + DOCKER_CERT_PATH, and a docker context holding the same.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_IMAGES, docker, imageId, removeImage, runCli, useTempDir } from '../../helpers/index.js';
import { makeTlsCerts, startTlsRelay, type TlsCerts, type TlsRelay } from '../../helpers/tls-relay.js';
import { mkdir, copyFile } from 'node:fs/promises';
import { expectOneLineError, roundTrip } from './setup.js';

const tmp = useTempDir('engine-tls');
let certs: TlsCerts;
let other: TlsCerts;
let relay: TlsRelay;
const made: string[] = [];

/** docker's environment for the relay with the client certificates in DIR. */
function tlsEnv(dir: string): NodeJS.ProcessEnv {
  return { DOCKER_HOST: relay.dockerHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: dir };
}

beforeAll(async () => {
  certs = await makeTlsCerts(join(tmp.path, 'pki'));
  other = await makeTlsCerts(join(tmp.path, 'other-pki'), 'other');
  relay = await startTlsRelay(certs);
});
afterAll(async () => {
  await relay?.close();
  await removeImage(...made);
});

describe('a TLS tcp:// engine', () => {
  it('build (BuildKit through the relay) pushes a signed SBOM, sbom docker: reads it remotely, pull fetches it back', async () => {
    const r = await roundTrip(join(tmp.path, 'trip'), { env: { ...tlsEnv(certs.clientDir), DOCKER_BUILDKIT: '1' } });
    made.push(r.ref);
  });

  it('a docker context with TLS material is honoured (DOCKER_CONTEXT and the config currentContext)', async () => {
    const config = join(tmp.path, 'docker-config');
    const c = certs.clientDir;
    const created = await docker(['context', 'create', 'mlbuild-tls', '--docker', `host=${relay.dockerHost},ca=${c}/ca.pem,cert=${c}/cert.pem,key=${c}/key.pem`], { env: { DOCKER_CONFIG: config }, check: true });
    expect(created.code).toBe(0);
    const want = await imageId(BASE_IMAGES.busybox);
    for (const env of [{ DOCKER_CONFIG: config, DOCKER_CONTEXT: 'mlbuild-tls' }, { DOCKER_CONFIG: config }]) {
      if (!env.DOCKER_CONTEXT) await docker(['context', 'use', 'mlbuild-tls'], { env, check: true });
      const r = await runCli(['--json', 'sbom', `docker:${BASE_IMAGES.busybox}`], { env: { ...env, DOCKER_HOST: '' } });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(want!.slice(7));
    }
  });

  it('a missing cert folder, an untrusted server, no client certificate and plain HTTP each fail in one line with exit 3', async () => {
    const onlyCa = join(tmp.path, 'only-ca');
    await mkdir(onlyCa, { recursive: true });
    await copyFile(join(certs.clientDir, 'ca.pem'), join(onlyCa, 'ca.pem'));
    const cases: Array<[string, NodeJS.ProcessEnv]> = [
      ['no cert folder', tlsEnv(join(tmp.path, 'nowhere'))],
      ['server signed by another CA', tlsEnv(other.clientDir)],
      ['no client certificate', tlsEnv(onlyCa)],
      ['plain HTTP to a TLS port', { DOCKER_HOST: relay.dockerHost }],
    ];
    for (const [what, env] of cases) {
      const r = await runCli(['sbom', `docker:${BASE_IMAGES.busybox}`, '-o', join(tmp.path, 'x.json')], { env, timeoutMs: 60_000 });
      expect.soft(r.code, `${what}: ${r.stderr}`).toBe(3);
      expectOneLineError(r, 3);
    }
  });
});
