// The admission webhook's HTTP contract over TLS, with AdmissionReview bodies shaped as kube-apiserver sends them
// around kubectl-made objects, against real images built, attested and pushed with the real CLI to the real registry
// (through the fault proxy, which counts and breaks registry requests).
import { join } from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import fastJsonPatch from 'fast-json-patch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CYCLONEDX_PREDICATE_TYPE, KeySigner, parseBundle } from '../../../src/attest/index.js';
import { publishAttestation } from '../../../src/pipeline/referrer.js';
import { RegistryClient } from '../../../src/registry/index.js';
import { FaultProxy } from '../../helpers/fault-proxy.js';
import { REGISTRY, useTempDir } from '../../helpers/index.js';
import { admissionReview, fixtureObject, patchOf, type ReviewAnswer } from '../../helpers/admission-review.js';
import { attest, pushedImage, writeKeys, type KeyFiles } from '../image-attest/setup.js';
import { makeServingCert, postReview, startGate, type GateProcess, type ServingCert } from './setup.js';

const tmp = useTempDir('admission');
const client = new RegistryClient({ credentials: async () => undefined });
let keys: KeyFiles;
let cert: ServingCert;
let proxy: FaultProxy;
let gate: GateProcess;
let store: string;

/** A fresh image pushed (and attested with `keys` unless told) as seen through the proxy: `{ref, digest}`. */
async function image(attested = true, opts: { repo?: string; tag?: string } = {}): Promise<{ ref: string; digest: string; direct: string }> {
  const img = await pushedImage(tmp.path, opts);
  if (attested) expect((await attest(img.ref, keys, store, ['--push'])).code).toBe(0);
  return { ref: img.ref.replace(REGISTRY, proxy.host), digest: img.digest, direct: img.ref };
}

function podWith(spec: Record<string, unknown>): Record<string, unknown> {
  const p = fixtureObject('pod', 'x') as { spec: Record<string, unknown> };
  return { ...p, spec: { ...p.spec, ...spec } };
}

const mutate = (object: Record<string, unknown>, opts: Parameters<typeof admissionReview>[1] = {}) => postReview(gate, cert, '/admission/mutate', admissionReview(object, opts));
const validate = (object: Record<string, unknown>, opts: Parameters<typeof admissionReview>[1] = {}) => postReview(gate, cert, '/admission/validate', admissionReview(object, opts));

/** Applies the answer's JSONPatch to the object, as the API server does. */
function applied(object: Record<string, unknown>, a: ReviewAnswer | undefined): Record<string, unknown> {
  const ops = patchOf(a as ReviewAnswer) as fastJsonPatch.Operation[];
  return fastJsonPatch.applyPatch(structuredClone(object), ops, true).newDocument;
}

beforeAll(async () => {
  keys = await writeKeys(tmp.path, 'signer');
  cert = await makeServingCert(tmp.path);
  store = join(tmp.path, 'store');
  proxy = await FaultProxy.start(`http://${REGISTRY}`);
  const config = join(tmp.path, 'admission.yaml');
  await writeFile(config, 'version: 1\nexemptNamespaces: [mlbuild-system]\ndeadline: 4s\n');
  gate = await startGate(cert, ['--key', keys.pub, '--store', store, '--admission-config', config]);
});

afterAll(async () => {
  await gate?.stop();
  await proxy?.close();
});

describe('admission webhook over TLS', () => {
  it('pins a Deployment, a Job and a CronJob to the verified digest; the patched objects pass validate', async () => {
    const good = await image();
    for (const name of ['deployment', 'job', 'cronjob'] as const) {
      const object = fixtureObject(name, good.ref);
      const r = await mutate(object);
      expect(r.status).toBe(200);
      expect(r.answer).toMatchObject({ allowed: true, patchType: 'JSONPatch' });
      const ops = patchOf(r.answer as ReviewAnswer);
      expect(ops).toHaveLength(1);
      expect(ops[0]?.value).toBe(`${good.ref}@${good.digest}`);
      expect((await validate(object)).answer?.allowed).toBe(false);
      const v = await validate(applied(object, r.answer));
      expect(v.answer?.allowed).toBe(true);
    }
  });

  it('denies an unattested image naming the container, the image and the findings', async () => {
    const bad = await image(false);
    const r = await mutate(fixtureObject('deployment', bad.ref));
    expect(r.answer?.allowed).toBe(false);
    expect(r.answer?.status?.code).toBe(403);
    expect(r.answer?.status?.message).toContain('container "placeholder"');
    expect(r.answer?.status?.message).toContain(bad.ref);
    expect(r.answer?.status?.message).toContain('no-attestation');
    expect(r.answer?.patch).toBeUndefined();
    expect((await validate(fixtureObject('deployment', `${bad.ref}@${bad.digest}`))).answer?.allowed).toBe(false);
  });

  it('verifies a pod of 8 identical containers once, and a second pod from the cache with one tag lookup', async () => {
    const good = await image();
    proxy.reset();
    const pod = podWith({ containers: Array.from({ length: 8 }, (_, i) => ({ name: `c${i}`, image: good.ref })) });
    const r = await mutate(pod);
    expect(r.answer?.allowed).toBe(true);
    expect(patchOf(r.answer as ReviewAnswer).map((o) => o.path)).toEqual(Array.from({ length: 8 }, (_, i) => `/spec/containers/${i}/image`));
    const referrerLookups = () => proxy.seen.filter((s) => s.method === 'GET' && s.path.includes('/manifests/sha256-')).length;
    const tagLookups = () => proxy.seen.filter((s) => s.path.endsWith(`/manifests/${good.ref.split(':').pop()}`)).length;
    expect(referrerLookups()).toBe(1);
    expect(tagLookups()).toBe(1);
    proxy.reset();
    expect((await mutate(pod)).answer?.allowed).toBe(true);
    expect(referrerLookups()).toBe(0);
    expect(tagLookups()).toBe(1);
  });

  it('checks init and ephemeral containers', async () => {
    const good = await image();
    const bad = await image(false);
    const spec = { containers: [{ name: 'app', image: good.ref }], initContainers: [{ name: 'fetch', image: good.ref }] };
    const denied = await mutate(podWith({ ...spec, ephemeralContainers: [{ name: 'debug', image: bad.ref }] }), { operation: 'UPDATE' });
    expect(denied.answer?.allowed).toBe(false);
    expect(denied.answer?.status?.message).toMatch(/"debug".*no-attestation/);
    const pod = podWith({ ...spec, ephemeralContainers: [{ name: 'debug', image: good.ref }] });
    const ok = await mutate(pod, { operation: 'UPDATE' });
    expect(patchOf(ok.answer as ReviewAnswer).map((o) => o.path)).toEqual(['/spec/containers/0/image', '/spec/initContainers/0/image', '/spec/ephemeralContainers/0/image']);
    expect((await validate(applied(pod, ok.answer), { operation: 'UPDATE' })).answer?.allowed).toBe(true);
  });

  it('passes a multi-arch index when every child is attested, or the index itself is, and pins the index digest', async () => {
    const a = await image(true, { tag: 'amd64' });
    const repo = a.direct.slice(0, a.direct.lastIndexOf(':'));
    const b = await image(true, { repo: repo.slice(REGISTRY.length + 1), tag: 'arm64' });
    const c = await image(false, { repo: repo.slice(REGISTRY.length + 1), tag: 'riscv' });
    const index = async (tag: string, children: { direct: string; arch: string }[]) => {
      const manifests = await Promise.all(children.map(async (ch) => ({ ...(await client.headManifest(ch.direct)), platform: { os: 'linux', architecture: ch.arch } })));
      const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests, annotations: { tag } }));
      const digest = await client.putManifest(repo, tag, bytes, 'application/vnd.oci.image.index.v1+json');
      return { ref: `${repo.replace(REGISTRY, proxy.host)}:${tag}`, digest, size: bytes.length };
    };
    const all = await index('multi', [{ ...a, arch: 'amd64' }, { ...b, arch: 'arm64' }]);
    const r = await mutate(fixtureObject('deployment', all.ref));
    expect(r.answer?.allowed).toBe(true);
    expect(patchOf(r.answer as ReviewAnswer)[0]?.value).toBe(`${all.ref}@${all.digest}`);
    const half = await index('half', [{ ...a, arch: 'amd64' }, { ...c, arch: 'riscv64' }]);
    const d = await mutate(fixtureObject('deployment', half.ref));
    expect(d.answer?.allowed).toBe(false);
    expect(d.answer?.status?.message).toMatch(/linux\/riscv64: .*no trusted SBOM/);

    // The same children under an index that is itself attested (an SBOM statement about the index digest) pass.
    const signed = await index('signed', [{ ...a, arch: 'amd64' }, { ...c, arch: 'riscv64' }]);
    const bundleFile = join(tmp.path, 'child.bundle.json');
    expect((await attest(c.direct, keys, store, ['-o', bundleFile])).code).toBe(0);
    const st = structuredClone(parseBundle((await readFile(bundleFile, 'utf8')).trim()).statement);
    st.subject = [{ name: repo, digest: { sha256: signed.digest.slice('sha256:'.length) } }];
    const bundle = await new KeySigner(await readFile(keys.key, 'utf8')).signStatement(st);
    await publishAttestation(client, `${repo}:signed`, { mediaType: 'application/vnd.oci.image.index.v1+json', digest: signed.digest, size: signed.size }, JSON.stringify(bundle), CYCLONEDX_PREDICATE_TYPE);
    const s = await mutate(fixtureObject('deployment', signed.ref));
    expect(s.answer?.allowed).toBe(true);
    expect(patchOf(s.answer as ReviewAnswer)[0]?.value).toBe(`${signed.ref}@${signed.digest}`);
  });

  it('lets an exempt namespace through unverified, and answers dryRun without writing to the registry', async () => {
    const bad = await image(false);
    const ex = await mutate(fixtureObject('deployment', bad.ref), { namespace: 'mlbuild-system' });
    expect(ex.answer).toMatchObject({ allowed: true });
    expect(ex.answer?.patch).toBeUndefined();
    const good = await image();
    proxy.reset();
    const dry = await mutate(fixtureObject('job', good.ref), { dryRun: true });
    expect(dry.answer?.allowed).toBe(true);
    expect(patchOf(dry.answer as ReviewAnswer)[0]?.value).toBe(`${good.ref}@${good.digest}`);
    expect(proxy.seen.filter((s) => s.method !== 'GET' && s.method !== 'HEAD')).toEqual([]);
  });

  it('fails closed when the registry fails, and recovers when it is back', async () => {
    const good = await image();
    const name = good.ref.slice(proxy.host.length + 1, good.ref.lastIndexOf(':'));
    proxy.add({ path: `/v2/${name}/`, fault: { kind: 'status', status: 503 } });
    const r = await mutate(fixtureObject('deployment', good.ref));
    expect(r.answer?.allowed).toBe(false);
    expect([503, 504]).toContain(r.answer?.status?.code);
    expect(r.ms).toBeLessThan(6000);
    proxy.reset();
    expect((await mutate(fixtureObject('deployment', good.ref))).answer?.allowed).toBe(true);
  });

  it('answers malformed reviews with 400 or a denial and keeps serving', async () => {
    expect((await postReview(gate, cert, '/admission/mutate', '{"kind":')).status).toBe(400);
    expect((await postReview(gate, cert, '/admission/validate', { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' })).status).toBe(400);
    const broken = admissionReview(podWith({ containers: [{ name: 'x', image: 42 }] }), { uid: 'broken-1' });
    const r = await postReview(gate, cert, '/admission/mutate', broken);
    expect(r.answer).toMatchObject({ uid: 'broken-1', allowed: false, status: { code: 400 } });
    const badRef = await mutate(fixtureObject('pod', 'Not A Valid/ref::'));
    expect(badRef.answer?.allowed).toBe(false);
    expect(gate.child.exitCode).toBeNull();
  });
});
