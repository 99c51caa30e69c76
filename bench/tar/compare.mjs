// bench/tar: the hand-written tar parser (src/image/tar-parser.ts) against tar-stream (the library the original
// design named), on the same layer tars, in the same run: both parse every entry and SHA-256 every file's content.
// Usage: node bench/tar/compare.mjs LAYER.tar [LAYER.tar…]   (REPS=5 by default; best of REPS, interleaved)
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import tarStream from 'tar-stream';
import { TarParser } from '../../dist/image/tar-parser.js';

async function ours(file) {
  let files = 0;
  const parser = new TarParser({
    entry(h) {
      if (h.type !== 'file') return undefined;
      files++;
      const hash = createHash('sha256');
      return { data: (c) => hash.update(c), end: () => hash.digest('hex') };
    },
    problem(reason, fatal) {
      if (fatal) throw new Error(reason);
    },
  });
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) parser.write(chunk);
  parser.end();
  return files;
}

async function theirs(file) {
  let files = 0;
  const extract = tarStream.extract();
  extract.on('entry', (header, stream, next) => {
    const hash = header.type === 'file' ? createHash('sha256') : undefined;
    if (hash) files++;
    stream.on('data', (c) => hash?.update(c));
    stream.on('end', () => {
      hash?.digest('hex');
      next();
    });
    stream.resume();
  });
  await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), extract);
  return files;
}

const time = async (fn, file) => {
  const t = process.hrtime.bigint();
  const n = await fn(file);
  return { s: Number(process.hrtime.bigint() - t) / 1e9, n };
};

const reps = Number(process.env.REPS ?? 5);
console.log(`${'layer'.padEnd(40)} ${'MiB'.padStart(7)} ${'files'.padStart(7)} ${'ours s'.padStart(8)} ${'tar-stream s'.padStart(13)} ${'ratio'.padStart(6)}`);
for (const file of process.argv.slice(2)) {
  let a = Infinity;
  let b = Infinity;
  let n = 0;
  for (let i = 0; i < reps; i++) {
    const x = await time(ours, file);
    const y = await time(theirs, file);
    if (x.n !== y.n) throw new Error(`${file}: the parsers disagree on the file count (${x.n} vs ${y.n})`);
    n = x.n;
    a = Math.min(a, x.s);
    b = Math.min(b, y.s);
  }
  const mib = (statSync(file).size / 1048576).toFixed(0);
  console.log(`${file.split('/').slice(-2).join('/').padEnd(40)} ${mib.padStart(7)} ${String(n).padStart(7)} ${a.toFixed(3).padStart(8)} ${b.toFixed(3).padStart(13)} ${(a / b).toFixed(2).padStart(6)}`);
}
