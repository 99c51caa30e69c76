// Bad input: each a clear one-line message and the right exit code (2 bad input, 1 verification failure).
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeModelRepo, runCli, safetensors } from '../../helpers/index.js';
import { kinds, makeWorld, report, type ModelWorld } from './setup.js';

let w: ModelWorld;
const LFS_OID = 'a'.repeat(64);

beforeAll(async () => {
  w = await makeWorld();
  await makeModelRepo(join(w.tmp.path, 'repos'), 'org/lfs', {
    'README.md': '---\nlicense: mit\n---\n',
    'model.safetensors': `version https://git-lfs.github.com/spec/v1\noid sha256:${LFS_OID}\nsize 123456789\n`,
    'config.json': '{}\n',
  });
});

afterAll(async () => {
  await w?.server.close();
  await w?.tmp.cleanup();
});

const oneLine = (stderr: string) => stderr.trim().split('\n').filter((l) => l.startsWith('mlbuild:'));

describe('bad input to attest and verify', () => {
  it('refuses an empty folder (exit 2)', async () => {
    const dir = join(w.tmp.path, 'empty');
    await mkdir(dir);
    const r = await runCli(['attest', 'model', `dir:${dir}`, '--key', w.key, '--store', w.store]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toHaveLength(1);
  });

  it('refuses to attest a folder with a symlink or a device-like special file (exit 2), naming it', async () => {
    const dir = join(w.tmp.path, 'with-link');
    await mkdir(dir);
    await writeFile(join(dir, 'model.safetensors'), safetensors());
    const { symlink } = await import('node:fs/promises');
    await symlink('model.safetensors', join(dir, 'alias.safetensors'));
    const r = await runCli(['attest', 'model', `dir:${dir}`, '--key', w.key, '--store', w.store]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('alias.safetensors');
  });

  it('attests LFS pointers by their oid (saying so) and fails verification of pointers without content', async () => {
    const a = await runCli(['attest', 'model', `git:${w.url('org/lfs')}`, '--key', w.key, '--store', w.store, '--json']);
    expect(a.code, a.stderr).toBe(0);
    expect((JSON.parse(a.stdout) as { notes: string[] }).notes.some((n) => n.startsWith('lfs: pointer digests used'))).toBe(true);
    const bundle = (await readdir(join(w.store, 'bundles'))).map((f) => join(w.store, 'bundles', f));
    const statements = await Promise.all(bundle.map(async (f) => Buffer.from((JSON.parse(await readFile(f, 'utf8')) as { dsseEnvelope: { payload: string } }).dsseEnvelope.payload, 'base64').toString()));
    expect(statements.some((s) => s.includes(LFS_OID))).toBe(true);
    const clone = await w.clone('org/lfs');
    const r = await runCli(['verify', 'model', `git:${clone}`, '--key', w.pub, '--store', w.store, '--json']);
    expect(r.code).toBe(1);
    expect(report(r).findings).toEqual([expect.objectContaining({ kind: 'lfs-pointer', path: 'model.safetensors' })]);
  });

  it('fails a corrupt store entry, naming the store file', async () => {
    const store = join(w.tmp.path, 'store-corrupt');
    expect((await runCli(['attest', 'model', `git:${w.url('org/tiny')}`, '--key', w.key, '--store', store])).code).toBe(0);
    const [name] = await readdir(join(store, 'bundles'));
    const file = join(store, 'bundles', name);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"mediaType"', '"mediaTyp3"'));
    const r = await runCli(['verify', 'model', `git:${w.url('org/tiny')}`, '--key', w.pub, '--store', store, '--json']);
    expect(r.code).toBe(1);
    const f = report(r).findings.find((x) => x.kind === 'store-corrupt');
    expect(f?.path ?? JSON.stringify(report(r))).toContain(name);
    expect(kinds(r)).toContain('unsigned');
  });

  it('rejects unknown sources, missing folders and missing flags (exit 2)', async () => {
    for (const args of [
      ['attest', 'model', 'huggingface.co/org/x', '--key', w.key],
      ['attest', 'model', `dir:${join(w.tmp.path, 'nope')}`, '--key', w.key],
      ['attest', 'model', `dir:${w.tmp.path}`],
      ['verify', 'model', `dir:${w.tmp.path}`],
      ['verify', 'model', `git:${w.url('org/missing')}`, '--key', w.pub],
      ['keys', 'generate'],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(oneLine(r.stderr), args.join(' ')).toHaveLength(1);
    }
  });

  it('refuses a bad key file handed over to verify model, verify image and pull (exit 2, one line)', async () => {
    const junk = join(w.tmp.path, 'junk.pub');
    await writeFile(junk, 'not a key\n');
    for (const args of [
      ['verify', 'model', `git:${w.url('org/tiny')}`, '--key', junk, '--store', w.store],
      ['verify', 'image', '127.0.0.1:5000/mlbuild-test/none:1', '--key', junk],
      ['pull', '127.0.0.1:5000/mlbuild-test/none:1', '--key', junk],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(oneLine(r.stderr), args.join(' ')).toHaveLength(1);
    }
  });

  it('never overwrites keys', async () => {
    const r = await runCli(['keys', 'generate', '--out', join(w.key, '..')]);
    expect(r.code).toBe(2);
  });

  it('rejects a policy with an unknown key or a CEL syntax error (exit 2, file:line named)', async () => {
    const bad1 = join(w.tmp.path, 'bad1.yaml');
    await writeFile(bad1, `signers:\n  - key: ${w.pub}\nmodels:\n  licences: { allow: [MIT] }\n`);
    const bad2 = join(w.tmp.path, 'bad2.yaml');
    await writeFile(bad2, `signers:\n  - key: ${w.pub}\nrules:\n  - name: broken\n    expr: "model.files.all(f, f.size <"\n`);
    const r1 = await runCli(['verify', 'model', `git:${w.url('org/tiny')}`, '--policy', bad1, '--store', w.store]);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toContain(`${bad1}:4:3`);
    expect(r1.stderr).toContain('models.licences');
    const r2 = await runCli(['verify', 'model', `git:${w.url('org/tiny')}`, '--policy', bad2, '--store', w.store]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain(`${bad2}:5:`);
  });
});
