// verify image --policy over an image holding a model: models.requireAttestation against the attestation store,
// forbidFormats from the verified SBOM.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASE_IMAGES, buildImage, hfModelFiles, pushImage, REGISTRY, runCli, uniqueRepo, useTempDir } from '../../helpers/index.js';
import { attest, verify, writeKeys } from './setup.js';

const tmp = useTempDir('image-models');

describe('verify image --policy with a model in the image', () => {
  it('requires a model attestation and forbids pickle', async () => {
    const keys = await writeKeys(tmp.path, 'k');
    const store = join(tmp.path, 'store');
    const ctx = join(tmp.path, 'ctx');
    const model = join(ctx, 'model');
    await mkdir(model, { recursive: true });
    for (const [name, body] of Object.entries(hfModelFiles())) await writeFile(join(model, name), body);
    await writeFile(join(ctx, 'Dockerfile'), `FROM ${BASE_IMAGES.busybox}\nCOPY model /models/tiny\nCOPY extra.pkl /models/tiny/extra.pkl\n`);
    await writeFile(join(ctx, 'extra.pkl'), Buffer.from([0x80, 0x04, 0x4e, 0x2e])); // pickle: protocol 4, None, STOP
    const ref = `${REGISTRY}/${uniqueRepo('model-img')}:1`;
    await buildImage(ctx, ref);
    await pushImage(ref, ref);
    expect((await attest(ref, keys, store, ['--push'])).code).toBe(0);

    const policy = join(tmp.path, 'policy.yaml');
    await writeFile(policy, `version: 1\nsigners:\n  - key: ${keys.pub}\nmodels:\n  requireAttestation: true\n  forbidFormats: [pickle]\n`);
    const before = await verify(ref, [], ['--policy', policy, '--store', store]);
    expect(before.code).toBe(1);
    expect(before.json.findings.map((f) => f.kind).sort()).toEqual(['format-forbidden', 'unsigned']);

    // Attest the model folder as it is in the image (extra.pkl included), into the same store.
    await writeFile(join(model, 'extra.pkl'), Buffer.from([0x80, 0x04, 0x4e, 0x2e]));
    const am = await runCli(['attest', 'model', `dir:${model}`, '--key', keys.key, '--store', store]);
    expect(am.code, am.stderr).toBe(0);
    const after = await verify(ref, [], ['--policy', policy, '--store', store]);
    expect(after.code).toBe(1);
    expect(after.json.findings.map((f) => f.kind)).toEqual(['format-forbidden']);
    expect((after.json as unknown as { models: { attested: boolean }[] }).models).toEqual([expect.objectContaining({ attested: true })]);
  });
});
