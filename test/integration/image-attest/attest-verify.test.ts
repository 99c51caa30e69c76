// attest image --push → verify image → pull, against the real registry (distribution 2.8, tag-schema fallback)
// and the real Docker engine: right and wrong keys, a moved tag, altered bundles and subjects, concurrent publishers.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { CYCLONEDX_PREDICATE_TYPE } from '../../../src/attest/index.js';
import { publishAttestation } from '../../../src/pipeline/referrer.js';
import { RegistryClient, type Descriptor } from '../../../src/registry/index.js';
import { docker, imageId, pushImage, removeImage, useTempDir } from '../../helpers/index.js';
import { attest, pushedImage, runCli, verify, writeKeys, type KeyFiles } from './setup.js';

const tmp = useTempDir('image-attest');
let good: KeyFiles;
let wrong: KeyFiles;
let store: string;
const client = new RegistryClient({ credentials: async () => undefined });

async function descriptorOf(ref: string): Promise<Descriptor> {
  const d = await client.headManifest(ref);
  if (!d) throw new Error(`${ref} not in the registry`);
  return d;
}

/** Flips the statement inside a bundle (the signature stays), so the signature no longer covers the payload. */
function tamper(bundleText: string): string {
  const b = JSON.parse(bundleText) as { dsseEnvelope: { payload: string } };
  const st = JSON.parse(Buffer.from(b.dsseEnvelope.payload, 'base64').toString('utf8')) as { predicate: Record<string, unknown> };
  st.predicate.serialNumber = 'urn:uuid:00000000-0000-4000-8000-000000000000';
  b.dsseEnvelope.payload = Buffer.from(JSON.stringify(st)).toString('base64');
  return JSON.stringify(b);
}

beforeAll(async () => {
  good = await writeKeys(tmp.path, 'good');
  wrong = await writeKeys(tmp.path, 'wrong');
  store = join(tmp.path, 'store');
});

describe('attest image --push and verify image', () => {
  it('attaches a signed SBOM referrer that verify image accepts with the right key only', async () => {
    const img = await pushedImage(tmp.path);
    const a = await attest(img.ref, good, store, ['--push']);
    expect(a.code).toBe(0);
    expect(a.json.subject).toMatchObject({ kind: 'manifest', name: img.repository, digest: img.digest });
    expect(a.json.referrer).toMatchObject({ subject: img.digest, artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json' });

    // The referrer manifest is laid out as cosign v3 writes it.
    const m = JSON.parse((await client.getManifest(`${img.repository}@${a.json.referrer?.digest}`)).bytes.toString()) as { config: unknown; subject: unknown; layers: unknown[]; annotations: Record<string, string> };
    // config.artifactType names the bundle type: `cosign clean` finds referrers by it.
    expect(m.config).toEqual({
      mediaType: 'application/vnd.oci.empty.v1+json',
      digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
      size: 2,
      artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    });
    expect(m.subject).toEqual({ mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest: img.digest, size: (await descriptorOf(img.ref)).size });
    expect(m.layers).toHaveLength(1);
    expect(m.annotations['dev.sigstore.bundle.content']).toBe('dsse-envelope');
    expect(m.annotations['dev.sigstore.bundle.predicateType']).toBe(CYCLONEDX_PREDICATE_TYPE);

    const ok = await verify(img.ref, [good.pub]);
    expect(ok.code).toBe(0);
    expect(ok.json).toMatchObject({ ok: true, digest: img.digest, configDigest: img.imageId, attestations: [{ referrer: a.json.referrer?.digest, subject: img.digest }] });

    const bad = await verify(img.ref, [wrong.pub]);
    expect(bad.code).toBe(1);
    expect(bad.json.ok).toBe(false);
    expect(bad.json.findings.map((f) => f.kind).sort()).toEqual(['no-attestation', 'untrusted-signature']);

    // Both keys trusted: the good one wins, nothing fatal.
    expect((await verify(img.ref, [wrong.pub, good.pub])).code).toBe(0);
  });

  it('attests a daemon image by the pushed manifest digest after checking its config digest', async () => {
    const img = await pushedImage(tmp.path);
    const a = await attest(`docker:${img.ref}`, good, store, ['--push']);
    expect(a.code).toBe(0);
    expect(a.json.subject).toMatchObject({ kind: 'manifest', digest: img.digest });
    expect((await verify(img.ref, [good.pub])).code).toBe(0);
  });

  it('attests a never-pushed image by image ID only, and refuses --push', async () => {
    const local = `mlbuild-test-local/${Date.now()}:1`;
    const { buildUnique } = await import('./setup.js');
    const id = await buildUnique(tmp.path, local);
    try {
      const a = await attest(local, good, store);
      expect(a.code).toBe(0);
      expect(a.json.subject).toMatchObject({ kind: 'image-id', digest: id });
      expect(a.json.referrer).toBeUndefined();
      const p = await runCli(['attest', 'image', local, '--key', good.key, '--store', store, '--push']);
      expect(p.code).toBe(2);
    } finally {
      await removeImage(local);
    }
  });

  it('rejects after the tag is moved to another image', async () => {
    const img = await pushedImage(tmp.path);
    expect((await attest(img.ref, good, store, ['--push'])).code).toBe(0);
    const other = await pushedImage(tmp.path, { repo: img.repository.replace(/^[^/]+\//, ''), tag: 'other' });
    await pushImage(other.ref, img.ref); // the tag now names the other image
    const r = await verify(img.ref, [good.pub]);
    expect(r.code).toBe(1);
    expect(r.json.digest).toBe(other.digest);
    expect(r.json.findings.map((f) => f.kind)).toContain('no-attestation');
  });

  it('ignores a tampered bundle next to a good one, and fails with only the tampered one', async () => {
    const img = await pushedImage(tmp.path);
    const bundleFile = join(tmp.path, `bundle-${Date.now()}.json`);
    expect((await attest(img.ref, good, store, ['-o', bundleFile])).code).toBe(0); // signed, not attached
    const subject = await descriptorOf(img.ref);
    const text = await readFile(bundleFile, 'utf8');
    const forged = await publishAttestation(client, img.ref, subject, tamper(text), CYCLONEDX_PREDICATE_TYPE);

    const only = await verify(img.ref, [good.pub]);
    expect(only.code).toBe(1);
    expect(only.json.findings).toContainEqual(expect.objectContaining({ kind: 'untrusted-signature', referrer: forged.referrer.digest, fatal: true }));

    const real = await publishAttestation(client, img.ref, subject, text.trim(), CYCLONEDX_PREDICATE_TYPE);
    const both = await verify(img.ref, [good.pub]);
    expect(both.code).toBe(0);
    expect(both.json.attestations.map((x) => x.referrer)).toEqual([real.referrer.digest]);
    expect(both.json.findings).toEqual([expect.objectContaining({ kind: 'untrusted-signature', referrer: forged.referrer.digest, fatal: false })]);
  });

  it('rejects a validly signed statement about another image (replayed subject)', async () => {
    const victim = await pushedImage(tmp.path);
    const donor = await pushedImage(tmp.path);
    const bundleFile = join(tmp.path, `donor-${Date.now()}.json`);
    expect((await attest(donor.ref, good, store, ['-o', bundleFile])).code).toBe(0);
    await publishAttestation(client, victim.ref, await descriptorOf(victim.ref), (await readFile(bundleFile, 'utf8')).trim(), CYCLONEDX_PREDICATE_TYPE);
    const r = await verify(victim.ref, [good.pub]);
    expect(r.code).toBe(1);
    expect(r.json.referrers.map((x) => x.status)).toEqual(['subject-mismatch']);
    expect(r.json.findings.map((f) => f.kind).sort()).toEqual(['no-attestation', 'subject-mismatch']);
  });

  it('keeps both referrers when two attest image --push run at once', async () => {
    const img = await pushedImage(tmp.path);
    const [a, b] = await Promise.all([attest(img.ref, good, store, ['--push']), attest(img.ref, good, store, ['--push'])]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const listed = (await client.listReferrers(img.repository, img.digest as `sha256:${string}`)).map((d) => d.digest).sort();
    expect(listed).toEqual([a.json.referrer?.digest, b.json.referrer?.digest].sort());
    const r = await verify(img.ref, [good.pub]);
    expect(r.code).toBe(0);
    expect(r.json.referrers.filter((x) => x.status === 'trusted')).toHaveLength(2);
  });
});

describe('mlbuild pull', () => {
  it('pulls exactly the verified digest and tags it; refuses (no pull, no tag) when verification fails', async () => {
    const img = await pushedImage(tmp.path);
    expect((await attest(img.ref, good, store, ['--push'])).code).toBe(0);
    await removeImage(img.ref, img.imageId);
    expect(await imageId(img.ref)).toBeUndefined();

    const refused = await runCli(['--json', 'pull', img.ref, '--key', wrong.pub]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ ok: false });
    expect(await imageId(img.ref)).toBeUndefined();
    expect(await imageId(img.imageId)).toBeUndefined();

    const pulled = await runCli(['--json', 'pull', img.ref, '--key', good.pub]);
    expect(pulled.code).toBe(0);
    const report = JSON.parse(pulled.stdout) as { ok: boolean; digest: string; pulled: string; imageId: string; tagged: string };
    expect(report).toMatchObject({ ok: true, digest: img.digest, pulled: `${img.repository}@${img.digest}`, imageId: img.imageId, tagged: img.ref });
    const inspect = await docker(['image', 'inspect', '--format', '{{json .}}', img.ref], { check: true });
    const info = JSON.parse(inspect.stdout) as { Id: string; RepoDigests: string[] };
    expect(info.Id).toBe(img.imageId);
    expect(info.RepoDigests).toContain(`${img.repository}@${img.digest}`);
  });

  it('prints the digest in human mode', async () => {
    const img = await pushedImage(tmp.path);
    expect((await attest(img.ref, good, store, ['--push'])).code).toBe(0);
    const r = await runCli(['pull', img.ref, '--key', good.pub]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(img.digest);
  });
});
