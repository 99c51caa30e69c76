// bench/gate: figures for the registry gate (see run.sh). Images are synthetic (config + one layer pushed with the
// registry client) and attested with real signed SBOM statements: the SBOM of the debian base image made by
// `mlbuild sbom`, and one padded to 50k file components. The gate runs in this process for the decision figures
// and as an `mlbuild gate` process for the blob figures (its own RSS).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildStatement, CYCLONEDX_PREDICATE_TYPE, generateKeyPair, KeySigner } from '../../src/attest/index.js';
import { sha256Digest, type Digest } from '../../src/core/digest.js';
import { publishAttestation } from '../../src/pipeline/referrer.js';
import { MediaType, RegistryClient } from '../../src/registry/index.js';
import { startGate } from '../../src/server/index.js';
import { cliPath, repoRoot } from '../../test/helpers/cli.js';
import { run } from '../../test/helpers/exec.js';
import { FaultProxy } from '../../test/helpers/fault-proxy.js';

const REGISTRY = '127.0.0.1:5000';
const REPS = Number(process.env.BENCH_REPS ?? '20');
const BLOB_MIB = Number(process.env.BENCH_BLOB_MIB ?? '256');
const client = new RegistryClient({ credentials: async () => undefined });
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const ms = (x: number): string => `${x.toFixed(2)} ms`;

/** Pushes a small unique image (config + one layer) and returns its manifest descriptor. */
async function pushImage(name: string) {
  const repo = { registry: REGISTRY, name };
  const layer = randomBytes(1024);
  const layerDigest = sha256Digest(layer);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [layerDigest] } }));
  await client.pushBlob(repo, layerDigest, layer);
  await client.pushBlob(repo, sha256Digest(config), config);
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: MediaType.OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256Digest(config), size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: layer.length }],
  }));
  const digest = await client.putManifest(repo, 'latest', manifest, MediaType.OCI_MANIFEST);
  return { mediaType: MediaType.OCI_MANIFEST, digest, size: manifest.length };
}

/** Pushes an image and attaches `sbom` as its signed SBOM referrer. */
async function attestedImage(signer: KeySigner, sbom: Record<string, unknown>): Promise<{ name: string; digest: Digest }> {
  const name = `bench/gate-${randomBytes(4).toString('hex')}`;
  const subject = await pushImage(name);
  const bundle = await signer.signStatement(buildStatement([{ name: `${REGISTRY}/${name}`, digest: subject.digest }], CYCLONEDX_PREDICATE_TYPE, sbom));
  await publishAttestation(client, `${REGISTRY}/${name}@${subject.digest}`, subject, bundle, CYCLONEDX_PREDICATE_TYPE);
  return { name, digest: subject.digest };
}

/** A request's wall time in ms; throws unless the status is `want`. */
async function timedGet(url: string, want = 200): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' } });
  await res.arrayBuffer();
  if (res.status !== want) throw new Error(`${url}: HTTP ${res.status}`);
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'mlbuild-bench-gate-'));
  const pair = generateKeyPair();
  const signer = new KeySigner(pair.privateKeyPem);
  const sbomFile = join(dir, 'debian.cdx.json');
  const made = await run(process.execPath, [cliPath, 'sbom', 'docker:mlbuild-test/debian:bookworm', '-o', sbomFile], { cwd: repoRoot, timeoutMs: 600_000 });
  if (made.code !== 0) throw new Error(`mlbuild sbom: ${made.stderr}`);
  const demo = JSON.parse(await readFile(sbomFile, 'utf8')) as { components: Record<string, unknown>[] };
  const files = demo.components.filter((c) => c.type === 'file');
  const big = { ...demo, components: [...demo.components] };
  for (let i = 0; big.components.length < 50_000; i++) big.components.push({ ...files[i % files.length], 'bom-ref': `pad-${i}`, name: `/pad/${i}/${String(files[i % files.length].name)}` });

  const proxy = await FaultProxy.start(`http://${REGISTRY}`);
  const gate = await startGate({ upstream: new RegistryClient({ credentials: async () => undefined }), upstreamHost: proxy.host, trust: { keys: [pair.publicKeyPem] } }, { host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${gate.port}`;
  const ctx = gate.context;
  console.log(`gate bench: ${REPS} cold decisions per SBOM, ${BLOB_MIB} MiB blob`);

  for (const [label, sbom] of [[`demo SBOM (${demo.components.length} components)`, demo], [`50k-file SBOM (${big.components.length} components)`, big]] as const) {
    const img = await attestedImage(signer, sbom);
    const cold: number[] = [];
    for (let i = 0; i < REPS; i++) {
      ctx.cache.invalidate(() => true);
      cold.push(await timedGet(`${base}/v2/${img.name}/manifests/${img.digest}`));
    }
    console.log(`cold decision, ${label}: p50 ${ms(pct(cold, 50))}, p95 ${ms(pct(cold, 95))}`);
  }

  const img = await attestedImage(signer, demo);
  await timedGet(`${base}/v2/${img.name}/manifests/${img.digest}`);
  proxy.seen.length = 0;
  const hits: number[] = [];
  for (let i = 0; i < 2000; i++) hits.push(await timedGet(`${base}/v2/${img.name}/manifests/${img.digest}`));
  console.log(`cache hit by digest (2000 requests): p50 ${ms(pct(hits, 50))}, p99 ${ms(pct(hits, 99))}, upstream calls ${proxy.seen.length}`);

  ctx.cache.invalidate(() => true);
  const misses = ctx.metrics.cacheMisses;
  proxy.seen.length = 0;
  await Promise.all(Array.from({ length: 100 }, () => timedGet(`${base}/v2/${img.name}/manifests/${img.digest}`)));
  const fallbackReads = proxy.seen.filter((s) => s.path.includes('/manifests/sha256-')).length;
  console.log(`100 concurrent pulls of one new digest: ${ctx.metrics.cacheMisses - misses} verification(s), ${fallbackReads} referrers lookup(s) upstream`);
  await gate.close();
  await proxy.close();

  // Blobs: one big blob, direct from the registry vs through an `mlbuild gate` process.
  const blob = randomBytes(BLOB_MIB * 1024 * 1024);
  const blobDigest = sha256Digest(blob);
  await client.pushBlob({ registry: REGISTRY, name: img.name }, blobDigest, blob);
  const pubFile = join(dir, 'bench.pub');
  await writeFile(pubFile, pair.publicKeyPem);
  const proc = spawn(process.execPath, [cliPath, 'gate', '--upstream', `http://${REGISTRY}`, '--listen', '127.0.0.1:0', '--key', pubFile], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr.on('data', (d) => (err += d.toString()));
  const gateUrl = await new Promise<string>((resolve) => {
    const t = setInterval(() => {
      const m = /gate: (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m) {
        clearInterval(t);
        resolve(m[1]);
      }
    }, 50);
  });
  const pull = async (root: string, digest: string): Promise<number> => {
    const t0 = performance.now();
    const res = await fetch(`${root}/v2/${img.name}/blobs/${digest}`);
    let n = 0;
    for await (const c of res.body ?? []) n += (c as Uint8Array).byteLength;
    if (n !== blob.length) throw new Error(`short blob ${n}`);
    return (performance.now() - t0) / 1000;
  };
  const best = async (root: string): Promise<number> => Math.min(...(await (async () => { const xs: number[] = []; for (let i = 0; i < 3; i++) xs.push(await pull(root, blobDigest)); return xs; })()));
  const direct = BLOB_MIB / (await best(`http://${REGISTRY}`));
  const through = BLOB_MIB / (await best(gateUrl));
  console.log(`blob throughput (${BLOB_MIB} MiB, best of 3): direct ${direct.toFixed(0)} MiB/s, through the gate ${through.toFixed(0)} MiB/s, ratio ${(through / direct).toFixed(2)}`);

  const small = randomBytes(16 * 1024 * 1024);
  const smallDigest = sha256Digest(small);
  await client.pushBlob({ registry: REGISTRY, name: img.name }, smallDigest, small);
  const hwm = async (): Promise<number> => Number(/VmHWM:\s+(\d+)/.exec(await readFile(`/proc/${proc.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  const before = await hwm();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 200 }, async () => {
    const res = await fetch(`${gateUrl}/v2/${img.name}/blobs/${smallDigest}`);
    for await (const _ of res.body ?? []) { /* drain */ }
  }));
  console.log(`200 concurrent 16 MiB blob streams: ${((performance.now() - t0) / 1000).toFixed(1)} s, gate peak RSS ${(await hwm()).toFixed(0)} MiB (${before.toFixed(0)} MiB before)`);
  proc.kill('SIGTERM');
  await rm(dir, { recursive: true, force: true });
}

await main();
