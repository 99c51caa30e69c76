// The license policy admits MIT and denies others; forbidden formats, CEL rules, the templates, and --hub-url.
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeModelRepo, repoRoot, runCli } from '../../helpers/index.js';
import { kinds, makeWorld, report, tinyModel, type ModelWorld } from './setup.js';

let w: ModelWorld;
let hub: Server;
let hubUrl: string;
const hubLicenses: Record<string, string> = { 'org/tiny': 'mit', 'org/apache': 'mit' };
const hubRequests: string[] = [];

beforeAll(async () => {
  w = await makeWorld();
  await makeModelRepo(join(w.tmp.path, 'repos'), 'org/pickled', { ...tinyModel(), 'pytorch_model.bin': Buffer.from([0x80, 0x02, 0x7d, 0x71, 0x00, 0x2e]) });
  for (const name of ['org/tiny', 'org/apache', 'org/pickled']) {
    const r = await runCli(['attest', 'model', `git:${w.url(name)}`, '--key', w.key, '--store', w.store]);
    expect(r.code, r.stderr).toBe(0);
  }
  // A local server speaking the Hugging Face API's /api/models/<id>[/revision/<rev>] shape.
  hub = createServer((req, res) => {
    hubRequests.push(req.url ?? '');
    const m = /^\/api\/models\/([^/]+\/[^/?]+)/.exec(req.url ?? '');
    const id = m?.[1];
    if (!id || !hubLicenses[id]) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Repository not found"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ _id: 'x', id, private: false, cardData: { license: hubLicenses[id] } }));
  });
  await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
  hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => hub?.close(() => resolve()));
  await w?.server.close();
  await w?.tmp.cleanup();
});

async function policy(name: string, body: string): Promise<string> {
  const file = join(w.tmp.path, name);
  await writeFile(file, body.replaceAll('PUB', w.pub));
  return file;
}

const verify = (model: string, policyFile: string, ...extra: string[]) =>
  runCli(['verify', 'model', `git:${w.url(model)}`, '--policy', policyFile, '--store', w.store, '--json', ...extra]);

describe('policy over attested models', () => {
  it('admits MIT and denies Apache-2.0 under an MIT-only policy (template)', async () => {
    const file = join(w.tmp.path, 'mit-only.yaml');
    await copyFile(join(repoRoot, 'templates/policies/mit-only.yaml'), file);
    await copyFile(w.pub, join(w.tmp.path, 'release.pub'));
    expect((await verify('org/tiny', file)).code).toBe(0);
    const r = await verify('org/apache', file);
    expect(r.code).toBe(1);
    expect(report(r).findings).toEqual([expect.objectContaining({ kind: 'license-denied', got: 'Apache-2.0' })]);
  });

  it('honours deny lists with Hugging Face ids', async () => {
    const file = await policy('deny.yaml', 'signers: [{ key: PUB }]\nmodels:\n  licenses: { deny: [apache-2.0] }\n');
    expect((await verify('org/tiny', file)).code).toBe(0);
    expect(kinds(await verify('org/apache', file))).toEqual(['license-denied']);
  });

  it('forbids pickle files, naming them', async () => {
    const file = await policy('no-pickle.yaml', 'signers: [{ key: PUB }]\nmodels:\n  forbidFormats: [pickle]\n');
    expect((await verify('org/tiny', file)).code).toBe(0);
    const r = await verify('org/pickled', file);
    expect(r.code).toBe(1);
    expect(report(r).findings).toEqual([expect.objectContaining({ kind: 'format-forbidden', path: 'pytorch_model.bin' })]);
  });

  it('evaluates CEL rules over the model and accepts the attested-models template', async () => {
    const file = await policy('rules.yaml', [
      'signers: [{ key: PUB }]',
      'rules:',
      '  - name: tiny-files',
      '    expr: "model.files.all(f, f.size < 100)"',
      '    message: "a file is 100 bytes or more"',
      '  - name: text-classification',
      '    expr: "model.card.pipeline_tag == \'text-classification\' && model.license == \'MIT\'"',
      '',
    ].join('\n'));
    const r = await verify('org/tiny', file);
    expect(r.code).toBe(1);
    expect(report(r).findings).toEqual([expect.objectContaining({ kind: 'rule-failed', rule: 'tiny-files' })]);
    const template = (await readFile(join(repoRoot, 'templates/policies/attested-models.yaml'), 'utf8')).replace('./release.pub', w.pub);
    const t = await policy('attested-models.yaml', template);
    expect((await verify('org/tiny', t)).code).toBe(0);
    expect(kinds(await verify('org/pickled', t))).toEqual(['format-forbidden']);
  });

  it('cross-checks the license with the Hub API (--hub-url)', async () => {
    const file = await policy('any.yaml', 'signers: [{ key: PUB }]\n');
    expect((await verify('org/tiny', file, '--hub-url', hubUrl)).code).toBe(0);
    const r = await verify('org/apache', file, '--hub-url', hubUrl);
    expect(r.code).toBe(1);
    expect(report(r).findings).toEqual([expect.objectContaining({ kind: 'hub-license-mismatch', want: 'Apache-2.0', got: 'mit' })]);
    expect(hubRequests.some((u) => u.startsWith('/api/models/org/apache'))).toBe(true);
  });
});
