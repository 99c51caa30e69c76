// attest a model served over real git smart-HTTP by URL, verify a later clone, and fail each tampering case.
import { appendFile, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/index.js';
import { kinds, makeWorld, report, type ModelWorld } from './setup.js';

let w: ModelWorld;
let bundleFile: string;
let cloneDir: string;

beforeAll(async () => {
  w = await makeWorld();
  bundleFile = join(w.tmp.path, 'tiny.sigstore.json');
  const r = await runCli(['attest', 'model', `git:${w.url('org/tiny')}@main`, '--key', w.key, '--store', w.store, '-o', bundleFile, '--json']);
  expect(r.code, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout) as { commit: string; license: string; files: number };
  expect(out.commit).toBe(w.commits['org/tiny']);
  expect(out.license).toBe('MIT');
  expect(out.files).toBe(4); // README, config, weights, vocab; .gitattributes ignored
  cloneDir = await w.clone('org/tiny');
});

afterAll(async () => {
  await w?.server.close();
  await w?.tmp.cleanup();
});

const verify = (source: string, ...extra: string[]) => runCli(['verify', 'model', source, '--key', w.pub, '--store', w.store, '--json', ...extra]);

describe('attest by URL, verify a later clone', () => {
  it('verifies the clone, the URL, the commit and the folder', async () => {
    for (const src of [`git:${cloneDir}`, `git:${w.url('org/tiny')}`, `git:${w.url('org/tiny')}@${w.commits['org/tiny']}`, `dir:${cloneDir}`]) {
      const r = await verify(src);
      expect(r.code, `${src}: ${r.stdout}${r.stderr}`).toBe(0);
      expect(report(r).files).toBe(4);
    }
  });

  it('lists the stored attestation', async () => {
    const r = await runCli(['attest', 'list', '--store', w.store, '--json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { entries: { commit: string }[] };
    expect(list.entries.map((e) => e.commit)).toContain(w.commits['org/tiny']);
  });

  it('reports a changed byte, a missing file, an extra file and a symlink, all at once, naming each file', async () => {
    const dir = await w.copy(cloneDir);
    const weights = join(dir, 'model.safetensors');
    const bytes = await readFile(weights);
    bytes[bytes.length - 1] ^= 1;
    await writeFile(weights, bytes);
    await rm(join(dir, 'config.json'));
    await writeFile(join(dir, 'tokenizer', 'extra.bin'), 'extra');
    await symlink('/etc/hostname', join(dir, 'link.txt'));
    const r = await verify(`git:${dir}`);
    expect(r.code).toBe(1);
    const byKind = Object.fromEntries(report(r).findings.map((f) => [f.kind, f]));
    expect(byKind.changed.path).toBe('model.safetensors');
    expect(byKind.changed.want).not.toBe(byKind.changed.got);
    expect(byKind.missing.path).toBe('config.json');
    expect(byKind.extra.path).toBe('tokenizer/extra.bin');
    expect(byKind.symlink.path).toBe('link.txt');
    const human = await runCli(['verify', 'model', `git:${dir}`, '--key', w.pub, '--store', w.store]);
    expect(human.code).toBe(1);
    for (const name of ['model.safetensors', 'config.json', 'tokenizer/extra.bin', 'link.txt']) expect(human.stdout).toContain(name);
  });

  it('fails a one-byte change in the card (the license is bound to the signature)', async () => {
    const dir = await w.copy(cloneDir);
    await appendFile(join(dir, 'README.md'), ' ');
    const r = await verify(`dir:${dir}`, '--attestation', bundleFile);
    expect(r.code).toBe(1);
    expect(report(r).findings).toEqual([expect.objectContaining({ kind: 'changed', path: 'README.md' })]);
  });

  it('fails a tampered payload byte and a tampered signature', async () => {
    const bundle = JSON.parse(await readFile(bundleFile, 'utf8')) as { dsseEnvelope: { payload: string; signatures: { sig: string }[] } };
    const payload = Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8').replace('"MIT"', '"MIU"');
    const p1 = join(w.tmp.path, 'tampered-payload.json');
    await writeFile(p1, JSON.stringify({ ...bundle, dsseEnvelope: { ...bundle.dsseEnvelope, payload: Buffer.from(payload).toString('base64') } }));
    const sig = Buffer.from(bundle.dsseEnvelope.signatures[0].sig, 'base64');
    sig[sig.length - 3] ^= 0xff;
    const p2 = join(w.tmp.path, 'tampered-sig.json');
    await writeFile(p2, JSON.stringify({ ...bundle, dsseEnvelope: { ...bundle.dsseEnvelope, signatures: [{ ...bundle.dsseEnvelope.signatures[0], sig: sig.toString('base64') }] } }));
    // A damaged file the user handed over is bad input: exit 2, one line naming the file, no stack trace.
    for (const p of [p1, p2]) {
      const r = await verify(`git:${cloneDir}`, '--attestation', p);
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stdout + r.stderr).toContain(p);
      expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
    }
    const p3 = join(w.tmp.path, 'not-a-bundle.json');
    await writeFile(p3, '{"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json"');
    expect((await verify(`git:${cloneDir}`, '--attestation', p3)).code).toBe(2);
    // The same damage found in the store is a finding (it may be junk next to a good bundle): exit 1.
    const store = join(w.tmp.path, 'tampered-store');
    expect((await runCli(['attest', 'model', `git:${w.url('org/tiny')}`, '--key', w.key, '--store', store])).code).toBe(0);
    const [name] = await readdir(join(store, 'bundles'));
    await writeFile(join(store, 'bundles', name), await readFile(p2));
    const r = await runCli(['verify', 'model', `git:${cloneDir}`, '--key', w.pub, '--store', store, '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(kinds(r).some((k) => k === 'bad-signature' || k === 'store-corrupt')).toBe(true);
  });

  it('fails an intact --attestation file from an untrusted key as a verification failure (exit 1)', async () => {
    const other = join(w.tmp.path, 'untrusted-keys');
    expect((await runCli(['keys', 'generate', '--out', other])).code).toBe(0);
    const r = await runCli(['verify', 'model', `git:${cloneDir}`, '--key', join(other, 'mlbuild.pub'), '--attestation', bundleFile, '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(kinds(r)).toContain('bad-signature');
  });

  it('fails with a wrong key', async () => {
    const other = join(w.tmp.path, 'other-keys');
    expect((await runCli(['keys', 'generate', '--out', other])).code).toBe(0);
    const r = await runCli(['verify', 'model', `git:${cloneDir}`, '--key', join(other, 'mlbuild.pub'), '--store', w.store, '--json']);
    expect(r.code).toBe(1);
    expect(kinds(r)).toEqual(['bad-signature', 'unsigned']);
  });

  it('fails an attestation made for a different model', async () => {
    const otherBundle = join(w.tmp.path, 'other.sigstore.json');
    const a = await runCli(['attest', 'model', `git:${w.url('org/other')}`, '--key', w.key, '--no-store', '-o', otherBundle]);
    expect(a.code, a.stderr).toBe(0);
    const r = await verify(`git:${cloneDir}`, '--attestation', otherBundle);
    expect(r.code).toBe(1);
    expect(kinds(r)).toContain('wrong-model');
    expect(report(r).findings).toContainEqual(expect.objectContaining({ kind: 'changed', path: 'model.safetensors' }));
  });

  it('reports an unattested revision as unsigned', async () => {
    const r = await verify(`git:${w.url('org/apache')}`);
    expect(r.code).toBe(1);
    expect(kinds(r)).toEqual(['unsigned']);
  });
});
