// Shared fixture for the model attestation tests: a git smart-HTTP server with model repositories, keys, a store.
import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { configJson, makeModelRepo, makeTempDir, modelCard, run, runCli, safetensors, startGitServer, type GitServer, type RunResult, type TempDir } from '../../helpers/index.js';

/** Everything a model test needs. */
export interface ModelWorld {
  tmp: TempDir;
  server: GitServer;
  key: string;
  pub: string;
  store: string;
  url(name: string): string;
  commits: Record<string, string>;
  /** A fresh clone of a served repository in a new folder. */
  clone(name: string): Promise<string>;
  /** A copy of a folder under a new name. */
  copy(dir: string): Promise<string>;
}

let counter = 0;

/** The files of the tiny MIT model. */
export function tinyModel(license = 'mit'): Record<string, Buffer | string> {
  return {
    'README.md': modelCard({ license }),
    'config.json': configJson(),
    'model.safetensors': safetensors(),
    'tokenizer/vocab.txt': 'a\nb\nc\n',
    '.gitattributes': '*.safetensors filter=lfs diff=lfs merge=lfs -text\n',
  };
}

/** Starts the server, writes repositories (org/tiny MIT, org/apache Apache-2.0, org/other), generates a key. */
export async function makeWorld(): Promise<ModelWorld> {
  const tmp = await makeTempDir('model');
  const repos = join(tmp.path, 'repos');
  await mkdir(repos);
  const commits: Record<string, string> = {};
  commits['org/tiny'] = (await makeModelRepo(repos, 'org/tiny', tinyModel())).commit;
  commits['org/apache'] = (await makeModelRepo(repos, 'org/apache', tinyModel('apache-2.0'))).commit;
  commits['org/other'] = (await makeModelRepo(repos, 'org/other', { ...tinyModel(), 'model.safetensors': safetensors({ w: { shape: [1], values: [7] } }) })).commit;
  const server = await startGitServer(repos);
  const keys = join(tmp.path, 'keys');
  const r = await runCli(['keys', 'generate', '--out', keys]);
  if (r.code !== 0) throw new Error(`keys generate failed: ${r.stderr}`);
  const world: ModelWorld = {
    tmp,
    server,
    key: join(keys, 'mlbuild.key'),
    pub: join(keys, 'mlbuild.pub'),
    store: join(tmp.path, 'store'),
    commits,
    url: (name) => `${server.url}/${name}`,
    async clone(name) {
      const dir = join(tmp.path, `clone-${++counter}`);
      await run('git', ['clone', '-q', world.url(name), dir], { check: true, env: { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
      return dir;
    },
    async copy(dir) {
      const to = join(tmp.path, `copy-${++counter}`);
      await cp(dir, to, { recursive: true, verbatimSymlinks: true });
      return to;
    },
  };
  return world;
}

/** A finding of the --json report. */
export interface JsonFinding {
  kind: string;
  path?: string;
  want?: string;
  got?: string;
}

/** Parses a verify --json report (stdout). */
export function report(r: RunResult): { ok: boolean; findings: JsonFinding[]; files: number } {
  try {
    return JSON.parse(r.stdout) as { ok: boolean; findings: JsonFinding[]; files: number };
  } catch {
    throw new Error(`no JSON report (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
}

/** The kinds of a report's findings, sorted. */
export function kinds(r: RunResult): string[] {
  return report(r).findings.map((f) => f.kind).sort();
}
