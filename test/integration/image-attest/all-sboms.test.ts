// verify image judges every trusted SBOM referrer bound to the digest (real registry): no unsigned annotation such
// as `org.opencontainers.image.created` chooses which signed SBOM the policy sees.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CYCLONEDX_PREDICATE_TYPE, KeySigner, parseBundle } from '../../../src/attest/index.js';
import { publishAttestation } from '../../../src/pipeline/referrer.js';
import { RegistryClient, type Descriptor } from '../../../src/registry/index.js';
import { useTempDir } from '../../helpers/index.js';
import { attest, pushedImage, verify, writeKeys, type KeyFiles } from './setup.js';

const tmp = useTempDir('all-sboms');
const client = new RegistryClient({ credentials: async () => undefined });
const BAD_SERIAL = 'urn:uuid:00000000-0000-4000-8000-0000000000ad';
let keys: KeyFiles;
let policy: string;

async function descriptorOf(ref: string): Promise<Descriptor> {
  const d = await client.headManifest(ref);
  if (!d) throw new Error(`${ref} not in the registry`);
  return d;
}

beforeAll(async () => {
  keys = await writeKeys(tmp.path, 'k');
  policy = join(tmp.path, 'policy.yaml');
  await writeFile(policy, `version: 1\nsigners:\n  - key: ${keys.pub}\nmodels:\n  requireAttestation: false\nrules:\n  - name: not-the-bad-sbom\n    expr: 'sbom.serialNumber != "${BAD_SERIAL}"'\n    message: "SBOM is the bad one"\n`);
});

describe('verify image with two validly signed SBOM referrers', () => {
  it('fails when the policy-violating one is older by its (unsigned) created annotation', async () => {
    const img = await pushedImage(tmp.path);
    const bundleFile = join(tmp.path, `good-${Date.now()}.json`);
    expect((await attest(img.ref, keys, join(tmp.path, 'store'), ['-o', bundleFile])).code).toBe(0);
    const subject = await descriptorOf(img.ref);
    const goodText = (await readFile(bundleFile, 'utf8')).trim();
    const good = await publishAttestation(client, img.ref, subject, goodText, CYCLONEDX_PREDICATE_TYPE, { created: new Date() });
    expect((await verify(img.ref, [], ['--policy', policy])).code).toBe(0);

    // The same statement with a policy-violating SBOM, signed by the same trusted key, dated in the past.
    const st = structuredClone(parseBundle(goodText).statement);
    (st.predicate as Record<string, unknown>).serialNumber = BAD_SERIAL;
    const badBundle = await new KeySigner(await readFile(keys.key, 'utf8')).signStatement(st);
    const bad = await publishAttestation(client, img.ref, subject, JSON.stringify(badBundle), CYCLONEDX_PREDICATE_TYPE, { created: new Date('2001-01-01T00:00:00Z') });

    const r = await verify(img.ref, [], ['--policy', policy]);
    expect(r.code).toBe(1);
    expect(r.json.ok).toBe(false);
    expect(r.json.attestations.map((a) => a.referrer).sort()).toEqual([good.referrer.digest, bad.referrer.digest].sort());
    expect(r.json.findings).toContainEqual(expect.objectContaining({ kind: 'rule-failed', fatal: true, referrer: bad.referrer.digest }));
    expect(r.json.findings.filter((f) => f.fatal).every((f) => f.referrer === bad.referrer.digest)).toBe(true);
  });
});
