// `mlbuild gate` as a command: bad flags and files are exit 2 with one line naming the problem, a taken port is 3,
// SIGTERM drains and exits 0.
import { createServer } from 'node:net';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, useTempDir } from '../../helpers/index.js';
import { writeKeys, type KeyFiles } from '../image-attest/setup.js';
import { makeServingCert, postReview, startGate, type ServingCert } from './setup.js';

const tmp = useTempDir('gate-cli');
let keys: KeyFiles;
let cert: ServingCert;

beforeAll(async () => {
  keys = await writeKeys(tmp.path, 'k');
  cert = await makeServingCert(tmp.path);
});

const gate = (args: string[]) => runCli(['gate', ...args], { timeoutMs: 30_000 });

describe('mlbuild gate (admission only)', () => {
  it('refuses bad flags and a bad admission config with exit 2 and one line', async () => {
    expect((await gate(['--key', keys.pub])).code).toBe(2);
    expect((await gate(['--listen', 'nope', '--key', keys.pub])).code).toBe(2);
    expect((await gate(['--listen', '127.0.0.1:0', '--tls-cert', cert.cert, '--key', keys.pub])).code).toBe(2);
    expect((await gate(['--listen', '127.0.0.1:0'])).code).toBe(2);
    const file = join(tmp.path, 'adm.yaml');
    await writeFile(file, 'version: 1\nexemptNamespace: [x]\n');
    const r = await gate(['--listen', '127.0.0.1:0', '--key', keys.pub, '--admission-config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:2:1: exemptNamespace`);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect((await gate(['--listen', '127.0.0.1:0', '--key', keys.pub, '--admission-config', join(tmp.path, 'missing.yaml')])).code).toBe(2);
  });

  it('with --upstream, the registry gate and the admission endpoints share one listener', async () => {
    const g = await startGate(cert, ['--upstream', 'http://127.0.0.1:5000', '--key', keys.pub]);
    try {
      const review = await postReview(g, cert, '/admission/validate', { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' });
      expect(review.status).toBe(400); // answered by the admission routes (a malformed review), not the OCI router
      const ok = await postReview(g, cert, '/admission/validate', {
        apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview',
        request: { uid: 'u1', kind: { group: '', version: 'v1', kind: 'Pod' }, namespace: 'default', operation: 'CREATE', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: '127.0.0.1:5000/nothing/here:1' }] } } },
      });
      expect(ok.status).toBe(200);
      expect(ok.answer).toMatchObject({ uid: 'u1', allowed: false }); // not pinned to a verified digest
    } finally {
      expect(await g.stop()).toBe(0);
    }
  });

  it('exits 3 when the port is taken, and 0 after SIGTERM', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const addr = busy.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    expect((await gate(['--listen', `127.0.0.1:${port}`, '--key', keys.pub])).code).toBe(3);
    busy.close();
    const g = await startGate(cert, ['--key', keys.pub]);
    expect(await g.stop()).toBe(0);
  });
});
