// The HTTP contract of the admission routes with an injected decider: once per distinct image, deadlines and
// errors fail closed, exemptions, malformed reviews answered (400 or a denial), never a crash.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admissionRoutes, type AdmissionConfig, type Decide, type Decision } from '../../../src/server/admission/index.js';
import { admissionReview, fixtureObject, patchOf, type ReviewAnswer } from '../../helpers/admission-review.js';

const D = `sha256:${'cd'.repeat(32)}`;
const calls: string[] = [];
let lastDryRun: boolean | undefined;
let behaviour: (image: string) => Promise<Decision> = async () => ({ ok: true, digest: D, findings: [] });
const decide: Decide = async (image, opts) => {
  calls.push(image);
  lastDryRun = opts.dryRun;
  return behaviour(image);
};
const config: AdmissionConfig = { exemptNamespaces: ['kube-system'], exemptImages: ['registry.k8s.io/**'], deadlineMs: 300 };
let server: Server;
let base: string;

beforeAll(async () => {
  const handler = admissionRoutes({ decide, config });
  server = createServer((req, res) => {
    void handler(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function post(path: string, body: unknown): Promise<{ status: number; answer?: ReviewAnswer; text: string }> {
  calls.length = 0;
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  const json = res.status === 200 ? (JSON.parse(text) as { response: ReviewAnswer }) : undefined;
  return { status: res.status, answer: json?.response, text };
}

function pod(images: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const p = fixtureObject('pod', images[0] ?? 'x') as { spec: Record<string, unknown> };
  p.spec.containers = images.map((image, i) => ({ name: `c${i}`, image }));
  Object.assign(p.spec, extra);
  return p;
}

describe('admission routes', () => {
  it('decides 8 identical containers once and pins each', async () => {
    behaviour = async () => ({ ok: true, digest: D, findings: [] });
    const review = admissionReview(pod(Array(8).fill('reg.example/app:1') as string[]));
    const r = await post('/admission/mutate', review);
    expect(calls).toEqual(['reg.example/app:1']);
    expect(r.answer).toMatchObject({ uid: (review.request as { uid: string }).uid, allowed: true, patchType: 'JSONPatch' });
    expect(patchOf(r.answer as ReviewAnswer)).toEqual(Array.from({ length: 8 }, (_, i) => ({ op: 'replace', path: `/spec/containers/${i}/image`, value: `reg.example/app:1@${D}` })));
  });

  it('denies naming container, image and findings; validate wants digests', async () => {
    behaviour = async (image) => (image.includes('bad') ? { ok: false, digest: D, findings: [{ kind: 'no-attestation', message: 'no trusted SBOM', atlas: 'AML.T0010.003' }] } : { ok: true, digest: D, findings: [] });
    const r = await post('/admission/mutate', admissionReview(pod(['reg.example/good:1', 'reg.example/bad:1'])));
    expect(r.answer?.allowed).toBe(false);
    expect(r.answer?.status?.code).toBe(403);
    expect(r.answer?.status?.message).toMatch(/c1.*reg\.example\/bad:1.*no-attestation.*AML\.T0010\.003/);
    expect(r.answer?.patch).toBeUndefined();
    const v = await post('/admission/validate', admissionReview(pod(['reg.example/good:1'])));
    expect(v.answer).toMatchObject({ allowed: false, status: { code: 403 } });
    expect(calls).toEqual([]);
    const ok = await post('/admission/validate', admissionReview(pod([`reg.example/good:1@${D}`])));
    expect(ok.answer?.allowed).toBe(true);
  });

  it('fails closed on errors and on the deadline', async () => {
    behaviour = async () => {
      throw new Error('registry unreachable');
    };
    const e = await post('/admission/mutate', admissionReview(pod(['reg.example/a:1'])));
    expect(e.answer).toMatchObject({ allowed: false, status: { code: 503 } });
    behaviour = () => new Promise((r) => setTimeout(() => r({ ok: true, digest: D, findings: [] }), 2000));
    const started = Date.now();
    const late = await post('/admission/mutate', admissionReview(pod(['reg.example/slow:1'])));
    expect(late.answer).toMatchObject({ allowed: false, status: { code: 504 } });
    expect(Date.now() - started).toBeLessThan(1500);
    // The API server's own ?timeout= caps the budget too.
    const capped = await post('/admission/mutate?timeout=1s', admissionReview(pod(['reg.example/slow:2'])));
    expect(capped.answer?.allowed).toBe(false);
  });

  it('lets exempt namespaces and images through without deciding', async () => {
    behaviour = async () => ({ ok: false, findings: [{ kind: 'no-attestation', message: 'x' }] });
    const ns = await post('/admission/mutate', admissionReview(pod(['reg.example/a:1']), { namespace: 'kube-system' }));
    expect(ns.answer?.allowed).toBe(true);
    expect(calls).toEqual([]);
    const img = await post('/admission/validate', admissionReview(pod(['registry.k8s.io/pause:3.9'])));
    expect(img.answer?.allowed).toBe(true);
    expect(calls).toEqual([]);
  });

  it('passes dryRun to the decider and allows what it does not review', async () => {
    behaviour = async () => ({ ok: true, digest: D, findings: [] });
    const r = await post('/admission/mutate', admissionReview(pod(['reg.example/a:1']), { dryRun: true }));
    expect(r.answer?.allowed).toBe(true);
    expect(lastDryRun).toBe(true);
    lastDryRun = undefined;
    const del = await post('/admission/mutate', admissionReview(pod(['reg.example/a:1']), { operation: 'DELETE' }));
    expect(del.answer?.allowed).toBe(true);
    const cm = await post('/admission/validate', admissionReview({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c' } }));
    expect(cm.answer?.allowed).toBe(true);
    expect(lastDryRun).toBeUndefined();
  });

  it('answers malformed reviews with 400 or a denial', async () => {
    expect((await post('/admission/mutate', '{not json')).status).toBe(400);
    expect((await post('/admission/mutate', { apiVersion: 'v1', kind: 'Pod' })).status).toBe(400);
    const noSpec = await post('/admission/mutate', admissionReview({ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'p' } }, { uid: 'u-1' }));
    expect(noSpec.answer).toMatchObject({ uid: 'u-1', allowed: false, status: { code: 400 } });
    const res = await fetch(`${base}/admission/mutate`);
    expect(res.status).toBe(405);
    expect((await fetch(`${base}/other`, { method: 'POST' })).status).toBe(404);
  });
});
