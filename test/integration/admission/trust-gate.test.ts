// Admission accepts a trusted gate's decision: a registry gate with --sign-key approves an image and attaches its
// signed verification summary; an admission-only gate with --trust-gate of that key allows the pod on the summary
// alone (the image's own attestation is gone), while a summary signed by another key or for another policy is not used.
import { request } from 'node:https';
import { join } from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERRER_ANNOTATIONS } from '../../../src/pipeline/referrer.js';
import { RegistryClient } from '../../../src/registry/index.js';
import { VSA_PREDICATE_TYPE } from '../../../src/server/summary.js';
import { MANIFEST_ACCEPT, REGISTRY, useTempDir } from '../../helpers/index.js';
import { admissionReview, fixtureObject, patchOf, type ReviewAnswer } from '../../helpers/admission-review.js';
import { attest, pushedImage, writeKeys, type KeyFiles } from '../image-attest/setup.js';
import { makeServingCert, postReview, startGate, type GateProcess, type ServingCert } from './setup.js';

const tmp = useTempDir('admission-trust-gate');
const client = new RegistryClient({ credentials: async () => undefined });
let release: KeyFiles;
let gateKey: KeyFiles;
let other: KeyFiles;
let cert: ServingCert;
let signing: GateProcess;
let img: { ref: string; digest: string; name: string };
const started: GateProcess[] = [];

/** GET a manifest through the registry gate over TLS (as a client pulling through it would); the HTTP status. */
async function pullThrough(gate: GateProcess, name: string, reference: string): Promise<number> {
  const ca = await readFile(cert.ca);
  return new Promise((resolve, reject) => {
    const req = request(`${gate.url}/v2/${name}/manifests/${reference}`, { ca, headers: { Accept: MANIFEST_ACCEPT } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** An admission-only gate with ARGS; stopped after the file. */
async function admissionGate(args: string[]): Promise<GateProcess> {
  const g = await startGate(cert, args);
  started.push(g);
  return g;
}

/** Mutates a pod running the image by tag: the answer. */
async function admit(gate: GateProcess, opts: { dryRun?: boolean } = {}): Promise<ReviewAnswer | undefined> {
  const r = await postReview(gate, cert, '/admission/mutate', admissionReview(fixtureObject('pod', img.ref), opts));
  expect(r.status).toBe(200);
  return r.answer;
}

const referrers = () => client.listReferrers({ registry: REGISTRY, name: img.name }, img.digest as `sha256:${string}`);

beforeAll(async () => {
  [release, gateKey, other] = await Promise.all([writeKeys(tmp.path, 'release'), writeKeys(tmp.path, 'gate'), writeKeys(tmp.path, 'other')]);
  cert = await makeServingCert(tmp.path);
  const pushed = await pushedImage(tmp.path);
  expect((await attest(pushed.ref, release, join(tmp.path, 'store'), ['--push'])).code).toBe(0);
  img = { ref: pushed.ref, digest: pushed.digest, name: pushed.repository.slice(pushed.repository.indexOf('/') + 1) };
  signing = await startGate(cert, ['--upstream', `http://${REGISTRY}`, '--key', release.pub, '--sign-key', gateKey.key]);
  started.push(signing);
  expect(await pullThrough(signing, img.name, img.ref.slice(img.ref.lastIndexOf(':') + 1))).toBe(200);
  const listed = await referrers();
  expect(listed.some((d) => d.annotations?.[REFERRER_ANNOTATIONS.predicateType] === VSA_PREDICATE_TYPE)).toBe(true);
  // The image's own signed SBOM goes away: from now on only the gate's summary can let it in.
  for (const d of listed.filter((x) => x.annotations?.[REFERRER_ANNOTATIONS.predicateType] !== VSA_PREDICATE_TYPE)) {
    await client.detachReferrer({ registry: REGISTRY, name: img.name }, img.digest as `sha256:${string}`, d.digest);
  }
}, 180_000);

afterAll(async () => {
  await Promise.all(started.map((g) => g.stop()));
});

describe('admission with --trust-gate', () => {
  it('allows and pins a pod on a trusted gate summary alone (denied without --trust-gate); dryRun writes nothing', async () => {
    const without = await admissionGate(['--key', release.pub]);
    expect(await admit(without)).toMatchObject({ allowed: false });
    const trusting = await admissionGate(['--key', release.pub, '--trust-gate', gateKey.pub]);
    const before = (await referrers()).length;
    const a = await admit(trusting);
    expect(a).toMatchObject({ allowed: true });
    expect(patchOf(a as ReviewAnswer).map((op) => op.value)).toEqual([expect.stringContaining(`@${img.digest}`)]);
    expect(await admit(trusting, { dryRun: true })).toMatchObject({ allowed: true });
    expect((await referrers()).length).toBe(before);
  });

  it('one process, one set of decisions: the registry gate that approved the image answers its admission reviews from that decision', async () => {
    // The signing gate pulled the image through itself before its SBOM referrer was removed: its admission endpoints
    // reuse that decision (no --trust-gate, and a fresh verification would now fail).
    const a = await admit(signing);
    expect(a).toMatchObject({ allowed: true });
    expect(patchOf(a as ReviewAnswer).map((op) => op.value)).toEqual([expect.stringContaining(`@${img.digest}`)]);
  });

  it('does not accept the summary from a gate key it was not told to trust', async () => {
    const g = await admissionGate(['--key', release.pub, '--trust-gate', other.pub]);
    expect(await admit(g)).toMatchObject({ allowed: false });
  });

  it('does not accept the summary under another policy', async () => {
    const policy = join(tmp.path, 'policy.yaml');
    await writeFile(policy, 'version: 1\nmodels:\n  requireAttestation: false\n');
    const g = await admissionGate(['--key', release.pub, '--policy', policy, '--trust-gate', gateKey.pub]);
    expect(await admit(g)).toMatchObject({ allowed: false });
  });
});
