import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BundleJson } from '../../../src/attest/bundle.js';
import { generateKeyPair } from '../../../src/attest/keys.js';
import { buildModelStatement } from '../../../src/attest/model-statement.js';
import { KeySigner } from '../../../src/attest/signer.js';
import { buildStatement } from '../../../src/attest/statement.js';
import { AttestationStore, defaultStoreDir, INDEX_FILE } from '../../../src/attest/store.js';
import { verifyBundle } from '../../../src/attest/verifier.js';

const run = promisify(execFile);
const tmp = () => mkdtemp(join(tmpdir(), 'mlbuild-store-'));
const hex = (n: number) => n.toString(16).padStart(64, '0');
const kp = generateKeyPair();
const signer = new KeySigner(kp.privateKeyPem);

function modelBundle(i: number, source = `https://huggingface.co/org/model-${i}`): Promise<BundleJson> {
  const st = buildModelStatement({
    name: `model-${i}`,
    files: [{ path: 'weights.bin', digest: hex(i + 1) }],
    facts: { source, revision: 'main', commit: `${'c0ffee'}${hex(i).slice(6, 40)}` },
  });
  return signer.signStatement(st);
}

let bundles: BundleJson[];
beforeAll(async () => {
  bundles = await Promise.all(Array.from({ length: 44 }, (_, i) => modelBundle(i)));
});

describe('attestation store', () => {
  it('finds a model attestation by any spelling of its source, by revision/commit, and by subject digest', async () => {
    const store = new AttestationStore(await tmp());
    const st = buildModelStatement({ name: 'model', files: [{ path: 'w', digest: hex(7) }], facts: { source: 'https://huggingface.co/org/model', revision: 'main', commit: 'ABCDEF0123456789abcdef0123456789abcdef01' } });
    const entry = await store.put(JSON.stringify(await signer.signStatement(st)));
    expect(entry.source).toBe('huggingface.co/org/model');
    expect(entry.file).toMatch(/^bundles\/[a-f0-9]{64}\.sigstore\.json$/);
    expect((await store.findBySource('http://HuggingFace.co/org/model.git/')).entries).toEqual([entry]);
    expect((await store.findBySource('https://huggingface.co/org/model', 'main')).entries).toHaveLength(1);
    expect((await store.findBySource('https://huggingface.co/org/model', 'abcdef0')).entries).toHaveLength(1);
    expect((await store.findBySource('https://huggingface.co/org/model', 'dev')).entries).toHaveLength(0);
    expect((await store.findBySource('https://huggingface.co/org/other')).entries).toHaveLength(0);
    expect((await store.findBySubject(`sha256:${st.subject[0].digest.sha256}`)).entries).toEqual([entry]);
    const { json } = await store.readBundle(entry);
    expect(verifyBundle(json, { keys: [kp.publicKeyPem] }).statement).toEqual(st);
  });

  it('stores image attestations found by image digest; putting the same bundle twice keeps one entry', async () => {
    const store = new AttestationStore(await tmp());
    const b = await signer.signStatement(buildStatement([{ name: 'local/app', digest: hex(99) }], 'https://cyclonedx.org/bom', {}));
    await store.put(b);
    await store.put(b);
    const found = await store.findBySubject(hex(99));
    expect(found.entries).toHaveLength(1);
    expect(found.entries[0].source).toBeUndefined();
  });

  it('refuses a malformed bundle before writing anything', async () => {
    const dir = await tmp();
    await expect(new AttestationStore(dir).put('{"mediaType":"x"}')).rejects.toMatchObject({ code: 'BAD_BUNDLE' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('keeps all entries under 20 parallel puts in one process', async () => {
    const dir = await tmp();
    await Promise.all(bundles.slice(0, 20).map((b) => new AttestationStore(dir).put(b)));
    expect((await new AttestationStore(dir).list()).entries).toHaveLength(20);
    const index = JSON.parse(await readFile(join(dir, INDEX_FILE), 'utf8')) as { entries: unknown[] };
    expect(index.entries).toHaveLength(20);
  });

  it('keeps all entries under 8 writer processes putting 3 bundles each', async () => {
    const dir = await tmp();
    const src = await tmp();
    const files = await Promise.all(
      bundles.slice(20, 44).map(async (b, i) => {
        const f = join(src, `${i}.json`);
        await writeFile(f, JSON.stringify(b));
        return f;
      }),
    );
    const script = fileURLToPath(new URL('./store-writer.ts', import.meta.url));
    await Promise.all(
      Array.from({ length: 8 }, (_, w) => run(process.execPath, ['--import', 'tsx', script, dir, ...files.slice(w * 3, w * 3 + 3)])),
    );
    const { entries, problems } = await new AttestationStore(dir).list();
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(24);
    for (let i = 20; i < 44; i++) expect((await new AttestationStore(dir).findBySource(`https://huggingface.co/org/model-${i}`)).entries).toHaveLength(1);
  }, 60_000);

  it('rebuilds a damaged index and names a corrupt bundle file instead of crashing', async () => {
    const dir = await tmp();
    const store = new AttestationStore(dir);
    const entry = await store.put(bundles[0]);
    await store.put(bundles[1]);
    await writeFile(join(dir, INDEX_FILE), '{ truncated');
    expect((await store.list()).entries).toHaveLength(2);
    await writeFile(join(dir, entry.file), '{"garbage": true}'); // bytes no longer match the name
    await writeFile(join(dir, INDEX_FILE), '[]');
    const { entries, problems } = await store.list();
    expect(entries).toHaveLength(1);
    expect(problems).toHaveLength(1);
    expect(problems[0].code).toBe('CORRUPT_INPUT');
    expect(problems[0].message).toContain(entry.file);
    await expect(store.readBundle(entry)).rejects.toMatchObject({ code: 'CORRUPT_INPUT' });
  });

  it('lives in MLBUILD_STORE, else ~/.mlbuild/attestations', () => {
    expect(defaultStoreDir({ MLBUILD_STORE: '/x/y' })).toBe('/x/y');
    expect(defaultStoreDir({})).toMatch(/\.mlbuild\/attestations$/);
  });
});
