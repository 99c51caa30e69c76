// bench/archive: the archive probe over a .tar.gz holding one safetensors file (default 200 MiB) against
// `gzip -dc | sha256sum` (zlib's inflate plus one hash: the floor for reading the member at all), best of N runs each,
// interleaved. Prints both times and the ratio; no threshold. Run through bench/archive/run.sh [MIB].
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createGunzip } from 'node:zlib';
import { archiveProbe, type ArchiveFacts } from '../../src/catalog/formats/archive.js';
import { mlFileProbe } from '../../src/catalog/formats/sniff.js';

const MIB = Number(process.argv[2] ?? '200');
const REPS = Number(process.env.BENCH_REPS ?? '3');
const WORK = process.env.BENCH_DIR ?? '/var/tmp/mlbuild-bench-archive';

// Weights-like bytes: a safetensors header, then low-entropy pseudo-random data (gzip gets about 2:1, as on fp16).
function makeModel(path: string, bytes: number): void {
  const header = Buffer.from(JSON.stringify({ w: { dtype: 'U8', shape: [bytes], data_offsets: [0, bytes] } }));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(header.length));
  const data = Buffer.allocUnsafe(bytes);
  let x = 0x9e3779b9;
  for (let i = 0; i < bytes; i += 4) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    data.writeUInt32LE((x >>> 0) & 0x0f0f0f0f, i);
  }
  writeFileSync(path, Buffer.concat([len, header, data]));
}

async function probe(path: string): Promise<ArchiveFacts> {
  const p = archiveProbe(path, Number.MAX_SAFE_INTEGER, { memberProbe: (name, size) => mlFileProbe(name, size) });
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    size += (chunk as Buffer).length;
    if (!p.update(chunk as Buffer)) break;
  }
  return p.end(size);
}

// Node's own streaming gunzip plus sha256 of the output: zlib speed in this process.
async function zlibHash(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }).pipe(createGunzip({ chunkSize: 1 << 20 }))) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return (performance.now() - t) / 1000;
}

async function main(): Promise<void> {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(join(WORK, 'm'), { recursive: true });
  makeModel(join(WORK, 'm/model.safetensors'), MIB * 1024 * 1024);
  execFileSync('sh', ['-c', 'tar cf - m | gzip -6 > model.tar.gz'], { cwd: WORK });
  const tgz = join(WORK, 'model.tar.gz');
  execFileSync('cat', [tgz], { stdio: ['ignore', 'ignore', 'inherit'] }); // warm the page cache
  let zlib = Infinity;
  let ours = Infinity;
  let node = Infinity;
  let facts: ArchiveFacts | undefined;
  for (let i = 0; i < REPS; i++) {
    zlib = Math.min(zlib, time(() => execFileSync('sh', ['-c', `gzip -dc ${tgz} | sha256sum`])));
    const t = performance.now();
    facts = await probe(tgz);
    ours = Math.min(ours, (performance.now() - t) / 1000);
    const t2 = performance.now();
    await zlibHash(tgz);
    node = Math.min(node, (performance.now() - t2) / 1000);
  }
  const m = facts?.members[0];
  console.log(`archive probe bench: ${MIB} MiB safetensors in a .tar.gz, best of ${REPS}`);
  console.log(`  member: ${m?.path} ${m?.facts?.kind} sha256 ${m?.sha256?.slice(0, 12)}… findings ${facts?.findings?.length ?? 0}`);
  console.log(`  gzip -dc | sha256sum : ${zlib.toFixed(2)} s`);
  console.log(`  node gunzip + sha256 : ${node.toFixed(2)} s`);
  console.log(`  archiveProbe         : ${ours.toFixed(2)} s`);
  console.log(`  ratio to gzip|sha256 : ${(ours / zlib).toFixed(2)} x; to node gunzip+sha256: ${(ours / node).toFixed(2)} x`);
  rmSync(WORK, { recursive: true, force: true });
}

await main();
