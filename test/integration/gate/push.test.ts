// Client identity and --allow-push: htpasswd basic auth for clients (401 without), docker login and docker push
// through the gate with the gate's own upstream credentials, and a referrer written through the gate invalidating
// its subject's cached denial at once.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Htpasswd } from '../../../src/server/index.js';
import { docker, fetchManifest, makeTempDir, REGISTRY, removeImage, run, runCli, useTempDir, type TempDir } from '../../helpers/index.js';
import { buildUnique } from '../image-attest/setup.js';
import { getManifest, startTestGate, writeKeys, type KeyFiles, type TestGate } from './setup.js';

const tmp = useTempDir('gate-push');
const USER = 'pusher';
const PASS = 'gate-secret';
const auth = `Basic ${Buffer.from(`${USER}:${PASS}`).toString('base64')}`;
let keys: KeyFiles;
let gate: TestGate;
let cfg: TempDir;
const made: string[] = [];

beforeAll(async () => {
  keys = await writeKeys(tmp.path, 'release');
  const file = join(tmp.path, 'htpasswd');
  const r = await run('htpasswd', ['-B', '-b', '-c', file, USER, PASS]);
  if (r.code !== 0) throw new Error(r.stderr);
  gate = await startTestGate([keys.pub], undefined, { htpasswd: Htpasswd.parse(await readFile(file, 'utf8')), allowPush: true, denyTtlMs: 120_000 });
  cfg = await makeTempDir('gate-push-cfg');
  await writeFile(join(cfg.path, 'config.json'), '{}');
  const login = await docker(['login', '-u', USER, '--password-stdin', gate.host], { dockerConfig: cfg.path, input: PASS });
  if (login.code !== 0) throw new Error(`docker login: ${login.stderr}`);
});

afterAll(async () => {
  await gate?.close();
  await removeImage(...made);
  await cfg?.cleanup();
});

describe('gate identity and --allow-push', () => {
  it('asks clients without valid credentials to authenticate (401 Basic), /healthz stays open', async () => {
    const res = await fetch(`http://${gate.host}/v2/`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
    const bad = await fetch(`http://${gate.host}/v2/`, { headers: { Authorization: `Basic ${Buffer.from(`${USER}:wrong`).toString('base64')}` } });
    expect(bad.status).toBe(401);
    const good = await fetch(`http://${gate.host}/v2/`, { headers: { Authorization: `Basic ${Buffer.from(`${USER}:${PASS}`).toString('base64')}` } });
    expect(good.status).toBe(200);
    expect((await fetch(`http://${gate.host}/healthz`)).status).toBe(200);
  });

  it('passes docker push through, denies the unattested image, and a fallback-tag write through the gate lifts the cached denial at once', async () => {
    const ref = `${gate.host}/test/gate-push-${Date.now().toString(36)}:1`;
    made.push(ref);
    await buildUnique(tmp.path, ref);
    const push = await docker(['push', ref], { dockerConfig: cfg.path, timeoutMs: 170_000 });
    expect(push.code, push.stderr).toBe(0);
    const digest = /digest: (sha256:[0-9a-f]{64})/.exec(push.stdout)?.[1];
    expect(digest).toBeDefined();
    await removeImage(ref);
    const denied = await docker(['pull', ref], { dockerConfig: cfg.path });
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('no-attestation');
    // Another writer attests straight at the upstream: the gate's cached denial still stands (deny TTL 120 s).
    const name = ref.slice(gate.host.length + 1).replace(/:1$/, '');
    const a = await runCli(['attest', 'image', `${REGISTRY}/${name}@${digest}`, '--key', keys.key, '--store', join(tmp.path, 'store'), '--push']);
    expect(a.code, a.stderr).toBe(0);
    expect((await getManifest(gate.host, name, '1', auth)).status).toBe(403);
    // The fallback tag written through the gate invalidates that subject's decision at once.
    const fallback = `sha256-${digest?.slice(7)}`;
    const index = await fetchManifest(REGISTRY, name, fallback);
    const put = await fetch(`http://${gate.host}/v2/${name}/manifests/${fallback}`, { method: 'PUT', body: index.body, headers: { Authorization: auth, 'Content-Type': 'application/vnd.oci.image.index.v1+json' } });
    expect(put.status).toBe(201);
    expect(gate.audits.some((x) => x.event === 'gate.push' && x.invalidated === digest)).toBe(true);
    const pulled = await docker(['pull', ref], { dockerConfig: cfg.path });
    expect(pulled.code, pulled.stderr).toBe(0);
  });
});
