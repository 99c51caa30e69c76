// attest model --include/--exclude: exclude wins over the model card; an include that takes nothing but the card is
// an input error; an unreachable git host is an environment error.
import { createServer } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/index.js';
import { makeWorld, type ModelWorld } from './setup.js';

let w: ModelWorld;

beforeAll(async () => {
  w = await makeWorld();
});
afterAll(async () => {
  await w?.server.close();
  await w?.tmp.cleanup();
});

/** The resource names of the statement in a bundle file. */
async function signedNames(bundleFile: string): Promise<string[]> {
  const bundle = JSON.parse(await readFile(bundleFile, 'utf8')) as { dsseEnvelope: { payload: string } };
  const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString()) as { predicate: { resources: Array<{ name: string }> } };
  return statement.predicate.resources.map((r) => r.name);
}

describe('attest model filters', () => {
  it('--exclude README.md leaves the card out', async () => {
    const out = join(w.tmp.path, 'no-card.json');
    const r = await runCli(['attest', 'model', `git:${w.url('org/tiny')}`, '--key', w.key, '--no-store', '-o', out, '--exclude', 'README.md']);
    expect(r.code, r.stderr).toBe(0);
    const names = await signedNames(out);
    expect(names).not.toContain('README.md');
    expect(names).toContain('model.safetensors');
  });

  it('--include still takes the card, and --include that matches nothing else is exit 2', async () => {
    const out = join(w.tmp.path, 'weights.json');
    const r = await runCli(['attest', 'model', `git:${w.url('org/tiny')}`, '--key', w.key, '--no-store', '-o', out, '--include', '*.safetensors']);
    expect(r.code, r.stderr).toBe(0);
    expect((await signedNames(out)).sort()).toEqual(['README.md', 'model.safetensors']);
    const none = await runCli(['attest', 'model', `git:${w.url('org/tiny')}`, '--key', w.key, '--no-store', '--include', 'nomatch', '--json']);
    expect(none.code, none.stderr).toBe(2);
    expect(JSON.parse(none.stdout)).toMatchObject({ ok: false, error: { exitCode: 2 } });
  });
});

describe('attest model from an unreachable git host', () => {
  it('exits 3 (environment), not 2', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const r = await runCli(['attest', 'model', `git:http://127.0.0.1:${port}/org/tiny`, '--key', w.key, '--no-store']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('mlbuild:'))).toHaveLength(1);
  });
});
