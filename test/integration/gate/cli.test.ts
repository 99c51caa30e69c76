// `mlbuild gate` as a process: flag errors exit 2 before listening, one JSON audit line per decision on stderr,
// TLS with --tls-cert/--tls-key, and SIGTERM drains an in-flight request before exiting 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from '../../helpers/fault-proxy.js';
import { cliPath, REGISTRY, repoRoot, run, runCli, useTempDir } from '../../helpers/index.js';
import { nameOf, pushedImage, writeKeys, type KeyFiles } from './setup.js';

const tmp = useTempDir('gate-cli');
let keys: KeyFiles;
const procs: ChildProcess[] = [];

interface Running {
  proc: ChildProcess;
  url: string;
  stderr: () => string;
  exit: Promise<number | null>;
}

/** Starts `mlbuild gate … --listen 127.0.0.1:0` and waits for the line naming its URL. */
async function startCliGate(args: string[]): Promise<Running> {
  const proc = spawn(process.execPath, [cliPath, 'gate', '--listen', '127.0.0.1:0', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(proc);
  let err = '';
  proc.stderr?.on('data', (d) => (err += d.toString()));
  const exit = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const t = setInterval(() => {
      const m = /gate: (https?:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m) {
        clearInterval(t);
        resolve(m[1]);
      }
    }, 50);
    void exit.then((code) => {
      clearInterval(t);
      reject(new Error(`gate exited ${code}: ${err}`));
    });
  });
  return { proc, url, stderr: () => err, exit };
}

beforeAll(async () => {
  keys = await writeKeys(tmp.path, 'release');
});

afterAll(() => {
  for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
});

describe('mlbuild gate command', () => {
  it.each([
    ['no --upstream', ['gate', '--key', 'K']],
    ['a bad --listen', ['gate', '--upstream', `http://${REGISTRY}`, '--listen', 'nowhere', '--key', 'K']],
    ['a bad --blobs', ['gate', '--upstream', `http://${REGISTRY}`, '--blobs', 'some', '--key', 'K']],
    ['--allow-push without --htpasswd', ['gate', '--upstream', `http://${REGISTRY}`, '--allow-push', '--key', 'K']],
    ['no trusted keys', ['gate', '--upstream', `http://${REGISTRY}`]],
    ['a bad --cache-ttl', ['gate', '--upstream', `http://${REGISTRY}`, '--cache-ttl', 'soon', '--key', 'K']],
    ['--tls-cert without --tls-key', ['gate', '--upstream', `http://${REGISTRY}`, '--tls-cert', 'K', '--key', 'K']],
  ])('exits 2 on %s', async (_what, args) => {
    const r = await runCli(args.map((a) => (a === 'K' ? keys.pub : a)));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('writes one JSON audit line per decision and drains an in-flight request on SIGTERM', async () => {
    const img = await pushedImage(tmp.path);
    const proxy = await FaultProxy.start(`http://${REGISTRY}`);
    try {
      const g = await startCliGate(['--upstream', `http://${proxy.host}`, '--key', keys.pub]);
      const name = nameOf(img.repository);
      proxy.add({ method: 'GET', path: `/manifests/1`, fault: { kind: 'delay', ms: 1200 } });
      const pending = fetch(`${g.url}/v2/${name}/manifests/1`);
      await new Promise((r) => setTimeout(r, 300));
      g.proc.kill('SIGTERM');
      const res = await pending;
      expect(res.status).toBe(403);
      expect(await g.exit).toBe(0);
      const audit = g.stderr().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ event: 'gate.decision', repository: name, digest: img.digest, result: 'deny' });
      expect(audit[0].findings).toEqual([expect.objectContaining({ kind: 'no-attestation' })]);
      expect(typeof audit[0].durationMs).toBe('number');
      expect(audit[0].client).toBeDefined();
    } finally {
      await proxy.close();
    }
  });

  it('serves HTTPS with --tls-cert and --tls-key', async () => {
    const cert = join(tmp.path, 'gate.crt');
    const key = join(tmp.path, 'gate.key');
    const r = await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1']);
    expect(r.code, r.stderr).toBe(0);
    const g = await startCliGate(['--upstream', `http://${REGISTRY}`, '--key', keys.pub, '--tls-cert', cert, '--tls-key', key]);
    expect(g.url).toMatch(/^https:/);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      request(`${g.url}/v2/`, { rejectUnauthorized: false }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).on('error', reject).end();
    });
    expect(status).toBe(200);
    g.proc.kill('SIGTERM');
    expect(await g.exit).toBe(0);
  });
});
