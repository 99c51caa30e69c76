// The model gate against disguise, with real builds on the real engine: weights and pickles under other names, in
// package folders and .git, behind a hard link whose first name is deleted; a partial attestation stretched over a
// later revision; an exporter that would ship unchecked. Each fails with exit 1 (2 for the exporter), no tag, and a
// finding naming the file and its MITRE ATLAS technique. Ordinary builds (multi-stage copies of an attested model,
// ADD of an ordinary file) pass. A disguised image signed by a trusted key still fails `verify image --policy`.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../../src/attest/index.js';
import {
  BASE_IMAGES, buildImage, commitFiles, docker, hfModelFiles, makeModelRepo, makeTempDir, REGISTRY, removeImage, runCli,
  safetensors, startGitServer, uniqueRepo, type GitServer, type RunResult, type TempDir,
} from '../../helpers/index.js';
import { EVIL_PICKLE_P0, EVIL_PICKLE_P2 } from '../../helpers/disguise.js';
import { hasImage, localRepo, mlbuildBuild, writeFiles, jsonReport } from './setup.js';

interface Finding { kind: string; path?: string; atlas?: string; layer?: number; step?: string; message: string }
interface Report { status: string; findings: Finding[]; warnings: Finding[]; models: { path: string; attested: boolean }[] }

let tmp: TempDir;
let server: GitServer;
let http: Server;
let httpUrl: string;
let key: string;
let pub: string;
let env: NodeJS.ProcessEnv;
const made: string[] = [];
const url = (name: string) => `${server.url}/${name}`;

const report = (r: RunResult): Report => jsonReport<Report>(r);

function build(args: string[], tag: string): Promise<RunResult> {
  made.push(tag);
  return mlbuildBuild(['--json', '--network', 'host', '-t', tag, ...args], env);
}

async function attest(...args: string[]): Promise<void> {
  const r = await runCli(['attest', 'model', ...args, '--key', key], { env });
  if (r.code !== 0) throw new Error(`attest ${args.join(' ')} failed (exit ${r.code}): ${r.stderr}`);
}

/** Builds the Dockerfile with context files; expects exit 1, no tag, and returns the report. */
async function refused(name: string, files: Record<string, string | Buffer>, extra: string[] = []): Promise<Report> {
  const ctx = await writeFiles(join(tmp.path, name), files);
  const tag = `${localRepo(name)}:1`;
  const r = await build(['--trust-key', pub, ...extra, ctx], tag);
  expect(r.code, r.stderr).toBe(1);
  const rep = report(r);
  expect(rep.status).toBe('check-failed');
  expect(await hasImage(tag)).toBe(false);
  return rep;
}

/** The fatal finding about PATH (an image path without the leading slash). */
const about = (rep: Report, path: string): Finding[] => rep.findings.filter((f) => f.path === path || f.path?.endsWith(`/${path}`) || f.message.includes(`/${path}`));

beforeAll(async () => {
  tmp = await makeTempDir('build-disguise');
  const repos = join(tmp.path, 'repos');
  await makeModelRepo(repos, 'org/partial', hfModelFiles());
  await makeModelRepo(repos, 'org/staged', hfModelFiles());
  await makeModelRepo(repos, 'org/degit', hfModelFiles());
  server = await startGitServer(repos);
  http = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(req.url === '/weights' ? safetensors() : 'just a text file\n');
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const pair = generateKeyPair();
  key = join(tmp.path, 'k.key');
  pub = join(tmp.path, 'k.pub');
  await writeFile(key, pair.privateKeyPem, { mode: 0o600 });
  await writeFile(pub, pair.publicKeyPem);
  env = { MLBUILD_STORE: join(tmp.path, 'store'), MLBUILD_CACHE_DIR: join(tmp.path, 'cache'), DOCKER_BUILDKIT: '1' };
});

afterAll(async () => {
  await removeImage(...made);
  await server?.close();
  await new Promise((resolve) => http?.close(resolve));
  await tmp?.cleanup();
});

describe('disguised names', () => {
  it('weights saved as .txt: masquerading weights, no trusted attestation', async () => {
    const rep = await refused('names-txt', { Dockerfile: `FROM ${BASE_IMAGES.busybox}\nCOPY weights.txt /app/weights.txt\n`, 'weights.txt': safetensors() });
    const f = about(rep, 'app/weights.txt');
    expect(f.map((x) => x.kind)).toContain('masquerade');
    expect(f.find((x) => x.kind === 'masquerade')).toMatchObject({ atlas: 'AML.T0074', layer: 1 });
    expect(f.some((x) => x.atlas === 'AML.T0010.003')).toBe(true);
  });

  it('a code-running pickle saved as .npy and one (protocol 0) without extension', async () => {
    const rep = await refused('names-pickle', { Dockerfile: `FROM ${BASE_IMAGES.busybox}\nCOPY a.npy /srv/a.npy\nCOPY b /srv/b\n`, 'a.npy': EVIL_PICKLE_P2, b: EVIL_PICKLE_P0 });
    expect(about(rep, 'srv/a.npy').map((x) => x.kind).sort()).toEqual(['dangerous-pickle', 'masquerade']);
    expect(about(rep, 'srv/b').find((x) => x.kind === 'dangerous-pickle')).toMatchObject({ atlas: 'AML.T0018.002' });
    expect(about(rep, 'srv/b')[0]?.step).toMatch(/COPY/);
  });
});

describe('odd places', () => {
  it('weights in dist-packages and inside a .git folder', async () => {
    const rep = await refused('places', {
      Dockerfile: [`FROM ${BASE_IMAGES.busybox}`, 'COPY blob.dat /usr/lib/python3/dist-packages/pkg/data/w.bin', 'RUN mkdir -p /srv/repo/.git/objects/ab && cp /usr/lib/python3/dist-packages/pkg/data/w.bin /srv/repo/.git/objects/ab/cd', ''].join('\n'),
      'blob.dat': safetensors({ x: { shape: [2], values: [1, 2] } }),
    });
    expect(about(rep, 'usr/lib/python3/dist-packages/pkg/data/w.bin').length).toBeGreaterThan(0);
    expect(about(rep, 'srv/repo/.git/objects/ab/cd').length).toBeGreaterThan(0);
  });
});

describe('links', () => {
  it('a hard link whose first name a later layer deletes', async () => {
    const rep = await refused('hardlink', {
      Dockerfile: [`FROM ${BASE_IMAGES.busybox}`, 'COPY w.txt /app/a.txt', 'RUN ln /app/a.txt /app/b.dat', 'RUN rm /app/a.txt', ''].join('\n'),
      'w.txt': safetensors(),
    });
    expect(about(rep, 'app/b.dat').length).toBeGreaterThan(0);
  });
});

describe('archives', () => {
  it('weights inside a tar.gz and a pickle inside a zip', async () => {
    const { execFileSync } = await import('node:child_process');
    const src = await writeFiles(join(tmp.path, 'arch-src'), { 'pkg/weights.bin': safetensors(), 'pkg/state.pkl': EVIL_PICKLE_P2 });
    execFileSync('tar', ['czf', join(tmp.path, 'bundle.tar.gz'), '-C', src, 'pkg']);
    execFileSync('python3', ['-c', `import zipfile,sys\nz=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED)\nz.write(sys.argv[2],'state.pkl')\nz.close()`, join(tmp.path, 'extras.zip'), join(src, 'pkg', 'state.pkl')]);
    const { readFile } = await import('node:fs/promises');
    const rep = await refused('archives', {
      Dockerfile: `FROM ${BASE_IMAGES.busybox}\nCOPY bundle.tar.gz extras.zip /srv/\n`,
      'bundle.tar.gz': await readFile(join(tmp.path, 'bundle.tar.gz')),
      'extras.zip': await readFile(join(tmp.path, 'extras.zip')),
    });
    expect(rep.findings).toContainEqual(expect.objectContaining({ kind: 'unattested-weights', path: 'srv/bundle.tar.gz!pkg/weights.bin', atlas: 'AML.T0010.003' }));
    expect(rep.findings).toContainEqual(expect.objectContaining({ kind: 'dangerous-pickle', path: 'srv/extras.zip!state.pkl', atlas: 'AML.T0018.002' }));
  });
});

describe('exact matching', () => {
  it('a partial attestation (--include config.json) does not cover a later revision', async () => {
    await attest(`git:${url('org/partial')}`, '--include', 'config.json');
    await commitFiles(join(tmp.path, 'repos', 'org/partial'), { 'model.safetensors': safetensors({ w: { shape: [1], values: [7] } }) }, 'swap weights');
    const rep = await refused('partial', { Dockerfile: [`FROM ${BASE_IMAGES.debian}`, `RUN git clone --quiet ${url('org/partial')} /models/p`, ''].join('\n') });
    expect(rep.findings.length).toBeGreaterThan(0);
    expect(rep.models).toEqual([expect.objectContaining({ path: '/models/p', attested: false })]);
  });
});

describe('changed models stay changed', () => {
  it('--allow-unattested does not turn a changed attested model into an allowed unattested one once .git is removed', async () => {
    await attest(`git:${url('org/degit')}`);
    await commitFiles(join(tmp.path, 'repos', 'org/degit'), { 'model.safetensors': safetensors({ w: { shape: [1], values: [9] } }) }, 'swap weights');
    const cases: Array<[string, string[]]> = [
      ['explicit', [`RUN git clone --quiet ${url('org/degit')} /models/d && rm -rf /models/d/.git`]],
      ['implicit', ['WORKDIR /models', `RUN git clone --quiet ${url('org/degit')} && rm -rf degit/.git`]],
      ['moved', [`RUN git clone --quiet ${url('org/degit')} /tmp/x && rm -rf /tmp/x/.git && mv /tmp/x /opt/renamed`]],
    ];
    for (const [name, steps] of cases) {
      const rep = await refused(`degit-${name}`, { Dockerfile: [`FROM ${BASE_IMAGES.debian}`, ...steps, ''].join('\n') }, ['--allow-unattested']);
      expect(rep.findings.map((f) => f.kind), name).toContain('model-mismatch');
      expect(rep.findings.find((f) => f.kind === 'model-mismatch')).toMatchObject({ path: 'model.safetensors', atlas: 'AML.T0010.003' });
    }
  });
});

describe('no unchecked output', () => {
  it('-o type=local is refused before anything is built (exit 2)', async () => {
    const ctx = await writeFiles(join(tmp.path, 'output'), { Dockerfile: `FROM ${BASE_IMAGES.busybox}\nRUN echo hi\n` });
    const r = await runCli(['build', '-o', `type=local,dest=${join(tmp.path, 'out')}`, ctx], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--output/);
  });
});

describe('ordinary builds pass', () => {
  it('a multi-stage build copying an attested model out of its builder stage, to another folder', async () => {
    await attest(`git:${url('org/staged')}`);
    const ctx = await writeFiles(join(tmp.path, 'staged'), {
      Dockerfile: [`FROM ${BASE_IMAGES.debian} AS builder`, `RUN git clone --quiet ${url('org/staged')} /models/s`, `FROM ${BASE_IMAGES.busybox}`, 'COPY --from=builder /models/s /opt/model', ''].join('\n'),
    });
    const tag = `${localRepo('staged')}:1`;
    const r = await build(['--trust-key', pub, ctx], tag);
    expect(r.code, r.stderr).toBe(0);
    expect(report(r).models).toEqual([expect.objectContaining({ path: '/opt/model', attested: true })]);
    expect(await hasImage(tag)).toBe(true);
  });

  it('a file: attested model COPYed under another name', async () => {
    const ctx = await writeFiles(join(tmp.path, 'renamed'), { Dockerfile: `FROM ${BASE_IMAGES.busybox}\nCOPY weights.safetensors /models/w.safetensors\n`, 'weights.safetensors': safetensors({ r: { shape: [1], values: [3] } }) });
    await attest(`file:${join(ctx, 'weights.safetensors')}`);
    const tag = `${localRepo('renamed')}:1`;
    const r = await build(['--trust-key', pub, ctx], tag);
    expect(r.code, r.stderr).toBe(0);
    expect(report(r).models).toEqual([expect.objectContaining({ path: '/models/w.safetensors', attested: true })]);
  });

  it('ADD <url> of an ordinary file', async () => {
    const ctx = await writeFiles(join(tmp.path, 'add'), { Dockerfile: `FROM ${BASE_IMAGES.busybox}\nADD ${httpUrl}/notes.txt /srv/notes.txt\n` });
    const tag = `${localRepo('add')}:1`;
    const r = await build(['--trust-key', pub, ctx], tag);
    expect(r.code, r.stderr).toBe(0);
    expect(await hasImage(tag)).toBe(true);
  });
});

describe('verify image judges the same content', () => {
  it('a disguised image with a valid signed SBOM still fails verify image --policy because of the file', async () => {
    const ctx = await writeFiles(join(tmp.path, 'signed'), { Dockerfile: `FROM ${BASE_IMAGES.busybox}\nCOPY w /srv/w.txt\nCOPY p /srv/p\n`, w: safetensors(), p: EVIL_PICKLE_P0 });
    const ref = `${REGISTRY}/${uniqueRepo('disguised')}:1`;
    made.push(ref);
    await buildImage(ctx, ref);
    await docker(['push', ref], { check: true });
    const a = await runCli(['attest', 'image', ref, '--key', key, '--push'], { env });
    expect(a.code, a.stderr).toBe(0);
    const policy = join(tmp.path, 'policy.yaml');
    await writeFile(policy, `version: 1\nsigners:\n  - key: ${pub}\nmodels:\n  requireAttestation: true\n`);
    const v = await runCli(['--json', 'verify', 'image', ref, '--policy', policy], { env });
    expect(v.code, v.stderr).toBe(1);
    const findings = (JSON.parse(v.stdout) as { findings: Finding[] }).findings.filter((f) => (f as { fatal?: boolean }).fatal !== false);
    expect(findings).toContainEqual(expect.objectContaining({ kind: 'masquerade', path: 'srv/w.txt', atlas: 'AML.T0074' }));
    expect(findings).toContainEqual(expect.objectContaining({ kind: 'dangerous-pickle', path: 'srv/p', atlas: 'AML.T0018.002' }));
  });
});
