// Image indexes through the gate: the index is served and each child a client fetches is checked on its own; an
// attested index makes its children servable; docker pull of an index picks its platform child through the gate.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStatement, CYCLONEDX_PREDICATE_TYPE, KeySigner } from '../../../src/attest/index.js';
import { publishAttestation } from '../../../src/pipeline/referrer.js';
import { MediaType, RegistryClient } from '../../../src/registry/index.js';
import { docker, REGISTRY, removeImage, uniqueRepo, useTempDir } from '../../helpers/index.js';
import { attestedImage, getManifest, nameOf, pushedImage, startTestGate, writeKeys, type KeyFiles, type TestGate } from './setup.js';

const tmp = useTempDir('gate-index');
let keys: KeyFiles;
let gate: TestGate;
const client = new RegistryClient({ credentials: async () => undefined });
const pulled: string[] = [];

/** Pushes an OCI index over the given child manifests (all in `name`) under `tag`; returns its digest. */
async function pushIndex(name: string, children: string[], tag: string): Promise<string> {
  const manifests = await Promise.all(children.map(async (d, i) => {
    const head = await client.headManifest(`${REGISTRY}/${name}@${d}`);
    if (!head) throw new Error(`no ${d}`);
    return { ...head, platform: { os: 'linux', architecture: i === 0 ? 'amd64' : 'arm64' } };
  }));
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OCI_INDEX, manifests }));
  return client.putManifest({ registry: REGISTRY, name }, tag, bytes, MediaType.OCI_INDEX);
}

beforeAll(async () => {
  keys = await writeKeys(tmp.path, 'release');
  gate = await startTestGate([keys.pub]);
});

afterAll(async () => {
  await gate?.close();
  await removeImage(...pulled);
});

describe('image indexes through the gate', () => {
  it('serves the index and checks each child on its own', async () => {
    const repo = uniqueRepo('index');
    const good = await attestedImage(tmp.path, keys, { repo, tag: 'good' });
    const bad = await pushedImage(tmp.path, { repo, tag: 'bad' });
    const name = nameOf(good.repository);
    await pushIndex(name, [good.digest, bad.digest], 'multi');
    expect((await getManifest(gate.host, name, 'multi')).status).toBe(200);
    expect((await getManifest(gate.host, name, good.digest)).status).toBe(200);
    expect((await getManifest(gate.host, name, bad.digest)).status).toBe(403);
    const ref = `${gate.host}/${name}:multi`;
    pulled.push(ref);
    const r = await docker(['pull', ref]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('serves the children of an attested index', async () => {
    const repo = uniqueRepo('index');
    const a = await pushedImage(tmp.path, { repo, tag: 'a' });
    const b = await pushedImage(tmp.path, { repo, tag: 'b' });
    const name = nameOf(a.repository);
    const index = await pushIndex(name, [a.digest, b.digest], 'multi');
    expect((await getManifest(gate.host, name, b.digest)).status).toBe(403);
    // A signed SBOM statement about the index digest itself.
    const st = buildStatement([{ name: `${REGISTRY}/${name}`, digest: index }], CYCLONEDX_PREDICATE_TYPE, { bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: [] });
    const bundle = await new KeySigner(await readFile(keys.key, 'utf8')).signStatement(st);
    const head = await client.headManifest(`${REGISTRY}/${name}@${index}`);
    if (!head) throw new Error('no index');
    await publishAttestation(client, `${REGISTRY}/${name}@${index}`, head, bundle, CYCLONEDX_PREDICATE_TYPE);
    expect((await getManifest(gate.host, name, 'multi')).status).toBe(200);
    expect(gate.audits.find((x) => x.digest === index && x.result === 'allow')).toBeDefined();
    expect((await getManifest(gate.host, name, a.digest)).status).toBe(200);
    expect(gate.audits.find((x) => x.digest === a.digest && x.result === 'index-child')).toBeDefined();
  });
});
