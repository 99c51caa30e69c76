// bench/dockerfile: the Dockerfile analysis (parse + model-fetch analysis) on a long continued RUN, N and 2N
// continuation lines in one run: the time ratio should be ~2 (linear), not ~4. Also a single 1.6 MB RUN line.
// Run through bench/dockerfile/run.sh.
import { performance } from 'node:perf_hooks';
import { parseDockerfile } from '../../src/docker/dockerfile.js';
import { findModelFetches } from '../../src/docker/model-fetches.js';

const N = Number(process.argv[2] ?? '16000');
const REPS = Number(process.env.BENCH_REPS ?? '5');

/** A Dockerfile with one RUN continued over LINES lines, each a clone that uses a build argument. */
function continued(lines: number): string {
  const body = Array.from({ length: lines }, (_, i) => `    && git clone --depth 1 \${HF:-https://huggingface.co}/org/model-${i} /models/m${i} \\`);
  return ['FROM debian', 'ARG HF', 'RUN set -e \\', ...body, '    && true', ''].join('\n');
}

/** Analyses TEXT once: wall time (seconds) and how many fetches it found. */
function analyse(text: string): { secs: number; fetches: number } {
  const start = performance.now();
  const fetches = findModelFetches(parseDockerfile(text), { buildArgs: { HF: 'https://hf.example' } }).length;
  return { secs: (performance.now() - start) / 1000, fetches };
}

/** Runs each case REPS times, interleaved (so a shared machine's load drifts over all alike); medians. */
function medians(cases: string[]): Array<{ secs: number; fetches: number }> {
  const runs = cases.map(() => [] as Array<{ secs: number; fetches: number }>);
  for (let r = 0; r < REPS; r++) cases.forEach((c, i) => runs[i].push(analyse(c)));
  return runs.map((xs) => [...xs].sort((a, b) => a.secs - b.secs)[Math.floor(xs.length / 2)]);
}

const longLine = `FROM debian\nRUN ${'git clone "https://h/org/a b" /m && '.repeat(45_000)}true\n`;
const [one, two, line] = medians([continued(N), continued(2 * N), longLine]);
process.stdout.write(
  `${N} continuation lines: ${one.secs.toFixed(2)} s (${one.fetches} clones)\n` +
    `${2 * N} continuation lines: ${two.secs.toFixed(2)} s (${two.fetches} clones)\n` +
    `ratio ${(two.secs / one.secs).toFixed(2)} (linear ~2, quadratic ~4)\n` +
    `one ${(longLine.length / 1e6).toFixed(2)} MB RUN line: ${line.secs.toFixed(2)} s (${line.fetches} clones)\n`,
);
