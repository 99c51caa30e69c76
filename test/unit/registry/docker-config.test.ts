import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMlbuildError } from '../../../src/core/errors.js';
import { credentialsFor, dockerConfigDir, loadDockerConfig, normalizeServerKey } from '../../../src/registry/docker-config.js';

let dir: string;
let oldPath: string | undefined;

// A fake `docker-credential-test`: answers for two servers, "not found" otherwise, and records what it was asked.
const HELPER = `#!/bin/sh
read server
echo "$server" >> "$(dirname "$0")/asked.log"
case "$server" in
  helper.example) echo '{"ServerURL":"helper.example","Username":"alice","Secret":"s3cret"}' ;;
  https://index.docker.io/v1/) echo '{"ServerURL":"https://index.docker.io/v1/","Username":"<token>","Secret":"refresh-tok"}' ;;
  *) echo "credentials not found in native keychain"; exit 1 ;;
esac
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlbuild-dockercfg-'));
  await writeFile(join(dir, 'docker-credential-test'), HELPER);
  await chmod(join(dir, 'docker-credential-test'), 0o755);
  await writeFile(join(dir, 'docker-credential-broken'), '#!/bin/sh\necho boom >&2\nexit 3\n');
  await chmod(join(dir, 'docker-credential-broken'), 0o755);
  oldPath = process.env.PATH;
  process.env.PATH = `${dir}${delimiter}${oldPath ?? ''}`;
});

afterAll(async () => {
  process.env.PATH = oldPath;
  await rm(dir, { recursive: true, force: true });
});

describe('docker config', () => {
  it('honours DOCKER_CONFIG and treats a missing file as empty', async () => {
    expect(dockerConfigDir({ DOCKER_CONFIG: dir })).toBe(dir);
    expect(dockerConfigDir({ HOME: '/h' })).toMatch(/\.docker$/);
    expect(await loadDockerConfig(join(dir, 'nothing-here'))).toEqual({});
  });

  it('rejects malformed JSON with a code', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'mlbuild-badcfg-'));
    await writeFile(join(bad, 'config.json'), '{nope');
    await expect(loadDockerConfig(bad)).rejects.toSatisfy((e) => isMlbuildError(e, 'CORRUPT_INPUT'));
    await rm(bad, { recursive: true });
  });

  it('normalises auths keys', () => {
    expect(normalizeServerKey('https://index.docker.io/v1/')).toBe('docker.io');
    expect(normalizeServerKey('http://127.0.0.1:5001')).toBe('127.0.0.1:5001');
    expect(normalizeServerKey('Reg.Example/v2/')).toBe('reg.example');
  });

  it('reads auths: base64 auth, username/password, identitytoken', async () => {
    const config = {
      auths: {
        'http://127.0.0.1:5001': { auth: Buffer.from('mlbuild:mlbuild-test:with-colon').toString('base64') },
        'plain.example': { username: 'bob', password: 'pw' },
        'https://index.docker.io/v1/': { identitytoken: 'id-tok' },
        'empty.example': {},
      },
    };
    expect(await credentialsFor('127.0.0.1:5001', config)).toEqual({ kind: 'basic', username: 'mlbuild', password: 'mlbuild-test:with-colon' });
    expect(await credentialsFor('plain.example', config)).toEqual({ kind: 'basic', username: 'bob', password: 'pw' });
    expect(await credentialsFor('docker.io', config)).toEqual({ kind: 'identity', identityToken: 'id-tok' });
    expect(await credentialsFor('empty.example', config)).toBeUndefined();
    expect(await credentialsFor('other.example', config)).toBeUndefined();
  });

  it('runs credHelpers with the server URL on stdin', async () => {
    const config = { credHelpers: { 'helper.example': 'test', 'missing.example': 'test' } };
    expect(await credentialsFor('helper.example', config)).toEqual({ kind: 'basic', username: 'alice', password: 's3cret' });
    expect(await credentialsFor('missing.example', config)).toBeUndefined();
  });

  it('uses credsStore, mapping <token> to an identity token, and falls back to auths', async () => {
    const config = { credsStore: 'test', auths: { 'fallback.example': { username: 'u', password: 'p' } } };
    expect(await credentialsFor('docker.io', config)).toEqual({ kind: 'identity', identityToken: 'refresh-tok' });
    expect(await credentialsFor('fallback.example', config)).toEqual({ kind: 'basic', username: 'u', password: 'p' });
  });

  it('reports a failing or absent helper as ENVIRONMENT', async () => {
    await expect(credentialsFor('x.example', { credsStore: 'broken' })).rejects.toSatisfy((e) => isMlbuildError(e, 'ENVIRONMENT'));
    await expect(credentialsFor('x.example', { credsStore: 'absent-helper' })).rejects.toSatisfy((e) => isMlbuildError(e, 'ENVIRONMENT'));
  });
});
