// Fixtures of the admission tests: a serving certificate made with openssl, the real `mlbuild gate` process over
// TLS, and a client that posts AdmissionReview bodies to it trusting that certificate (as the API server's caBundle).
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:https';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cliPath, repoRoot, run } from '../../helpers/index.js';
import type { ReviewAnswer } from '../../helpers/admission-review.js';

/** A CA and a serving certificate for 127.0.0.1 signed by it (the files the templates' README tells users to make). */
export interface ServingCert {
  ca: string;
  cert: string;
  key: string;
}

/** Makes a CA and a serving certificate with openssl (SAN IP 127.0.0.1 and the in-cluster service name). */
export async function makeServingCert(dir: string): Promise<ServingCert> {
  const f = (n: string) => join(dir, n);
  const openssl = async (args: string[]) => {
    const r = await run('openssl', args, { cwd: dir });
    if (r.code !== 0) throw new Error(`openssl ${args[0]}: ${r.stderr}`);
  };
  await openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=mlbuild-gate-ca', '-keyout', f('ca.key'), '-out', f('ca.crt')]);
  await openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=mlbuild-gate.mlbuild.svc', '-keyout', f('tls.key'), '-out', f('tls.csr')]);
  await writeFile(f('san.ext'), 'subjectAltName=DNS:mlbuild-gate.mlbuild.svc,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  await openssl(['x509', '-req', '-in', f('tls.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '1', '-extfile', f('san.ext'), '-out', f('tls.crt')]);
  return { ca: f('ca.crt'), cert: f('tls.crt'), key: f('tls.key') };
}

/** A running `mlbuild gate` process and its base URL. */
export interface GateProcess {
  url: string;
  child: ChildProcess;
  stderr: () => string;
  stop(): Promise<number | null>;
}

/** Starts `mlbuild gate --listen 127.0.0.1:0 --tls-cert … --tls-key … ARGS` and waits for its address line. */
export async function startGate(cert: ServingCert, args: string[], env: NodeJS.ProcessEnv = {}): Promise<GateProcess> {
  const child = spawn(process.execPath, [cliPath, 'gate', '--listen', '127.0.0.1:0', '--tls-cert', cert.cert, '--tls-key', cert.key, ...args], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gate did not start:\n${err}`)), 30_000);
    child.stderr?.on('data', () => {
      const m = /admission endpoints on (https:\/\/[^/\s]+)/.exec(err);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`gate exited ${code}:\n${err}`)));
  });
  return {
    url,
    child,
    stderr: () => err,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

/** POSTs a body to the gate over TLS, trusting only the test CA; parses an AdmissionReview answer when 200. */
export async function postReview(gate: GateProcess, cert: ServingCert, path: string, body: unknown): Promise<{ status: number; answer?: ReviewAnswer; ms: number }> {
  const ca = await readFile(cert.ca);
  const data = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = request(`${gate.url}${path}`, { method: 'POST', ca, headers: { 'Content-Type': 'application/json', 'Content-Length': String(data.length) } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString();
        const answer = res.statusCode === 200 ? (JSON.parse(text) as { response: ReviewAnswer }).response : undefined;
        resolve({ status: res.statusCode ?? 0, answer, ms: Date.now() - started });
      });
    });
    req.on('error', reject);
    req.end(data);
  });
}
