// vitest globalSetup of the "integration" project (vitest runs it only when integration test files are in the run):
// prepares the real test environment with scripts/setup-env.sh and compiles src/ to dist/ once for bin/mlbuild.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

function step(label: string, file: string, args: string[], fatal: boolean): void {
  const started = Date.now();
  const r = spawnSync(file, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status === 0) {
    process.stderr.write(`[global-setup] ${label}: ok (${secs} s)\n`);
    return;
  }
  const why = r.error ? r.error.message : `exit ${r.status ?? r.signal}`;
  if (fatal) throw new Error(`[global-setup] ${label} failed (${why}); set MLBUILD_SKIP_ENV=1 to skip environment setup`);
  process.stderr.write(`[global-setup] ${label}: ${why} (${secs} s), continuing\n`);
}

/** Runs once before the integration test files: environment (unless MLBUILD_SKIP_ENV=1), then `tsc -p tsconfig.json`. */
export default function setup(): void {
  if (process.env.MLBUILD_SKIP_ENV === '1') process.stderr.write('[global-setup] MLBUILD_SKIP_ENV=1: environment setup skipped\n');
  else step('scripts/setup-env.sh', 'bash', ['scripts/setup-env.sh'], true);
  if (process.env.MLBUILD_SKIP_BUILD === '1') return;
  // tsc still emits dist/ when there are type errors; typecheck is its own CI step, so errors here only warn.
  step('tsc -p tsconfig.json', process.execPath, [
    'node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--incremental', '--tsBuildInfoFile', '.cache/tsc-dist.tsbuildinfo',
  ], false);
}
