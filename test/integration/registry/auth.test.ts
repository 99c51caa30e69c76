// Basic auth against a real htpasswd-protected distribution 2.8, credentials read from a temp DOCKER_CONFIG.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryWiring } from '../../../src/cli/wiring.js';
import { RegistryClient, RegistryError } from '../../../src/registry/index.js';
import { pushImage } from './fixtures.js';
import { startRegistry, type RegistryProcess } from './registry-process.js';

const USER = 'mlbuild';
const PASSWORD = 'mlbuild-test';
let reg: RegistryProcess;
let dir: string;
const oldEnv = { DOCKER_CONFIG: process.env.DOCKER_CONFIG, PATH: process.env.PATH };

async function configWith(name: string, config: unknown): Promise<string> {
  const d = join(dir, name);
  await mkdir(d, { recursive: true });
  await writeFile(join(d, 'config.json'), JSON.stringify(config));
  return d;
}

beforeAll(async () => {
  reg = await startRegistry({ basicAuth: { user: USER, password: PASSWORD } });
  dir = await mkdtemp(join(tmpdir(), 'mlbuild-auth-'));
  await writeFile(join(dir, 'docker-credential-test'), `#!/bin/sh\nread s\nprintf '{"ServerURL":"%s","Username":"${USER}","Secret":"${PASSWORD}"}' "$s"\n`);
  await chmod(join(dir, 'docker-credential-test'), 0o755);
  process.env.PATH = `${dir}${delimiter}${oldEnv.PATH ?? ''}`;
});
afterAll(async () => {
  process.env.DOCKER_CONFIG = oldEnv.DOCKER_CONFIG;
  if (oldEnv.DOCKER_CONFIG === undefined) delete process.env.DOCKER_CONFIG;
  process.env.PATH = oldEnv.PATH;
  await rm(dir, { recursive: true, force: true });
  await reg?.stop();
});

describe('basic-auth registry', () => {
  it('works with credentials from DOCKER_CONFIG auths', async () => {
    const configDir = await configWith('auths', {
      auths: { [`http://${reg.host}`]: { auth: Buffer.from(`${USER}:${PASSWORD}`).toString('base64') } },
    });
    // The library reads no environment: the CLI's wiring resolves DOCKER_CONFIG into the client's options.
    const client = new RegistryClient(registryWiring([], () => undefined, { DOCKER_CONFIG: configDir }));
    const img = await pushImage(client, `${reg.host}/auth/app`, 'v1');
    expect((await client.getManifest(`${reg.host}/auth/app:v1`)).digest).toBe(img.digest);
    expect(await client.listTags(`${reg.host}/auth/app`)).toEqual(['v1']);
  });

  it('works with credentials from a credential helper', async () => {
    const client = new RegistryClient({ dockerConfigDir: await configWith('helper', { credHelpers: { [reg.host]: 'test' } }) });
    const img = await pushImage(client, `${reg.host}/auth/helper`, 'v1');
    expect((await client.headManifest(`${reg.host}/auth/helper:v1`))?.digest).toBe(img.digest);
  });

  it('fails without credentials with a clear auth error', async () => {
    const client = new RegistryClient({ dockerConfigDir: await configWith('empty', {}) });
    const err = await client.getManifest(`${reg.host}/auth/app:v1`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect(err).toMatchObject({ code: 'REGISTRY_ERROR', status: 401, isAuth: true, temporary: false });
    expect((err as RegistryError).hint).toContain(`docker login ${reg.host}`);
  });

  it('fails with a wrong password with a clear auth error', async () => {
    const client = new RegistryClient({
      credentials: async () => ({ kind: 'basic', username: USER, password: 'wrong' }),
    });
    const err = await client.blobExists(`${reg.host}/auth/app`, `sha256:${'0'.repeat(64)}`).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'REGISTRY_ERROR', status: 401 });
  });
});
