// Two replicas sharing one upstream: a decision made by one (signed verification summary attached as a referrer)
// is reused by the other; a summary signed by an image signer's key, for another policy, or too old, is not.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeySigner } from '../../../src/attest/index.js';
import { publishAttestation } from '../../../src/pipeline/referrer.js';
import { RegistryClient } from '../../../src/registry/index.js';
import { summaryStatement, VSA_PREDICATE_TYPE } from '../../../src/server/summary.js';
import { REGISTRY, useTempDir } from '../../helpers/index.js';
import { attestedImage, getManifest, nameOf, pushedImage, startTestGate, writeKeys, type KeyFiles, type TestGate } from './setup.js';

const tmp = useTempDir('gate-replicas');
let release: KeyFiles;
let gateKey: KeyFiles;
let signing: TestGate;
let reader: TestGate;
const client = new RegistryClient({ credentials: async () => undefined });

/** Attaches a summary of `digest` signed with `key`, built like the reader's own, then changed by `edit`. */
async function forge(name: string, digest: string, key: string, edit: (p: Record<string, unknown>) => void = () => {}, at = new Date()): Promise<void> {
  const st = summaryStatement(reader.server.context, name, digest as `sha256:${string}`, at);
  edit(st.predicate as unknown as Record<string, unknown>);
  const bundle = await new KeySigner(await readFile(key, 'utf8')).signStatement(st);
  const head = await client.headManifest(`${REGISTRY}/${name}@${digest}`);
  if (!head) throw new Error('no manifest');
  await publishAttestation(client, `${REGISTRY}/${name}@${digest}`, head, bundle, VSA_PREDICATE_TYPE);
}

beforeAll(async () => {
  release = await writeKeys(tmp.path, 'release');
  gateKey = await writeKeys(tmp.path, 'gate');
  const signer = new KeySigner(await readFile(gateKey.key, 'utf8'));
  signing = await startTestGate([release.pub], REGISTRY, { summarySigner: signer });
  reader = await startTestGate([release.pub], REGISTRY, { trustGate: [await readFile(gateKey.pub, 'utf8')], ttlMs: 60_000 });
});

afterAll(async () => {
  await signing?.close();
  await reader?.close();
});

describe('replicas sharing decisions through signed summaries', () => {
  it('reuses the decision of another replica from its signed summary', async () => {
    const img = await attestedImage(tmp.path, release);
    const name = nameOf(img.repository);
    expect((await getManifest(signing.host, name, '1')).status).toBe(200);
    expect(signing.audits.find((a) => a.digest === img.digest)).toMatchObject({ via: 'verified' });
    expect((await getManifest(reader.host, name, '1')).status).toBe(200);
    expect(reader.audits.find((a) => a.digest === img.digest)).toMatchObject({ result: 'allow', via: 'summary' });
  });

  it('does not accept a summary signed by an image signer key', async () => {
    const img = await pushedImage(tmp.path);
    await forge(nameOf(img.repository), img.digest, release.key);
    expect((await getManifest(reader.host, nameOf(img.repository), '1')).status).toBe(403);
  });

  it('does not accept a summary for another policy', async () => {
    const img = await pushedImage(tmp.path);
    await forge(nameOf(img.repository), img.digest, gateKey.key, (p) => {
      p.policy = { uri: 'mlbuild:gate-policy', digest: { sha256: 'f'.repeat(64) } };
    });
    expect((await getManifest(reader.host, nameOf(img.repository), '1')).status).toBe(403);
  });

  it('does not accept a summary older than the positive TTL', async () => {
    const img = await pushedImage(tmp.path);
    await forge(nameOf(img.repository), img.digest, gateKey.key, undefined, new Date(Date.now() - 120_000));
    expect((await getManifest(reader.host, nameOf(img.repository), '1')).status).toBe(403);
  });

  it('accepts a fresh summary from the trusted gate key for the same policy and trust', async () => {
    const img = await pushedImage(tmp.path);
    await forge(nameOf(img.repository), img.digest, gateKey.key);
    expect((await getManifest(reader.host, nameOf(img.repository), '1')).status).toBe(200);
  });
});
