// bench/admission: latency of POST /admission/mutate over TLS for a pod of 1 image and of 8 distinct images, cold
// (a fresh decision cache each time) and cached, against real images built, attested and pushed to the local
// registry. Prints p50/p95 in milliseconds. Run through bench/admission/run.sh.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { loadPublicKey } from '../../src/attest/keys.js';
import { admissionRoutes, createDecider, type AdmissionHandler } from '../../src/server/admission/index.js';
import { serveAdmission } from '../../src/server/admission/serve.js';
import { admissionReview, fixtureObject } from '../../test/helpers/admission-review.js';
import { attest, pushedImage, writeKeys } from '../../test/integration/image-attest/setup.js';
import { makeServingCert, postReview, type GateProcess } from '../../test/integration/admission/setup.js';

const COLD = Number(process.env.BENCH_COLD ?? '10');
const WARM = Number(process.env.BENCH_WARM ?? '50');

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)] ?? NaN;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'mlbuild-bench-admission-'));
  const keys = await writeKeys(dir, 'bench');
  const store = join(dir, 'store');
  process.stderr.write('building, pushing and attesting 8 images…\n');
  const images: string[] = [];
  for (let i = 0; i < 8; i++) {
    const img = await pushedImage(dir);
    const a = await attest(img.ref, keys, store, ['--push']);
    if (a.code !== 0) throw new Error(`attest ${img.ref} failed: ${a.stderr}`);
    images.push(img.ref);
  }
  const trust = { keys: [(await loadPublicKey(keys.pub)).pem], keyless: [] };
  let handler: AdmissionHandler = async () => false;
  let decider = createDecider({ trust });
  const fresh = () => {
    decider = createDecider({ trust });
    handler = admissionRoutes({ decide: decider.decide });
  };
  const cert = await makeServingCert(dir);
  const server = await serveAdmission((req: IncomingMessage, res: ServerResponse) => handler(req, res), { listen: { host: '127.0.0.1', port: 0 }, tls: { cert: await readFile(cert.cert), key: await readFile(cert.key) } });
  const gate = { url: server.url } as GateProcess;
  const pod = (n: number) => {
    const p = fixtureObject('pod', images[0] ?? '') as { spec: Record<string, unknown> };
    p.spec.containers = images.slice(0, n).map((image, i) => ({ name: `c${i}`, image }));
    return p;
  };
  const once = async (n: number): Promise<number> => {
    const r = await postReview(gate, cert, '/admission/mutate', admissionReview(pod(n)));
    if (!r.answer?.allowed) throw new Error(`pod of ${n} denied: ${r.answer?.status?.message ?? r.status}`);
    return r.ms;
  };
  const rows: string[] = [];
  for (const n of [1, 8]) {
    const cold: number[] = [];
    for (let i = 0; i < COLD; i++) {
      fresh();
      cold.push(await once(n));
    }
    const verified = decider.stats.verifications;
    const warm: number[] = [];
    for (let i = 0; i < WARM; i++) warm.push(await once(n));
    rows.push(`pod of ${n} image(s)  cold  p50 ${pct(cold, 50).toFixed(0).padStart(5)} ms  p95 ${pct(cold, 95).toFixed(0).padStart(5)} ms  (${COLD} runs, ${verified} verification(s) each)`);
    rows.push(`pod of ${n} image(s)  cached p50 ${pct(warm, 50).toFixed(1).padStart(5)} ms  p95 ${pct(warm, 95).toFixed(1).padStart(5)} ms  (${WARM} runs, ${decider.stats.verifications - verified} new verifications)`);
  }
  await server.close();
  console.log('admission latency, POST /admission/mutate over TLS (new connection per review), images on 127.0.0.1:5000');
  for (const r of rows) console.log(r);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
