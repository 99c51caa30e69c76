import { fileURLToPath } from 'node:url';
import { run, type RunResult } from './exec.js';

/** The repository root (test/helpers/../..). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The CLI entry point; it loads dist/, which the integration globalSetup compiles once per run. */
export const cliPath = fileURLToPath(new URL('../../bin/mlbuild', import.meta.url));

/** Options for {@link runCli}: extra environment, working folder, stdin, time limit (default 170 s). */
export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string | Buffer;
  timeoutMs?: number;
}

/** Runs `node bin/mlbuild ARGS…` and returns {code, stdout, stderr}; never throws on a non-zero exit. */
export function runCli(args: readonly string[], opts: CliOptions = {}): Promise<RunResult> {
  return run(process.execPath, [cliPath, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: { NO_COLOR: '1', FORCE_COLOR: '0', ...opts.env },
    input: opts.input,
    timeoutMs: opts.timeoutMs ?? 170_000,
  });
}

/** Runs the CLI with `--json` prepended and parses stdout; throws with stderr when stdout is not JSON. */
export async function runCliJson<T = unknown>(args: readonly string[], opts: CliOptions = {}): Promise<RunResult & { json: T }> {
  const r = await runCli(['--json', ...args], opts);
  try {
    return { ...r, json: JSON.parse(r.stdout) as T };
  } catch {
    throw new Error(`mlbuild --json ${args.join(' ')} (exit ${r.code}) printed no JSON:\n${r.stdout}\n${r.stderr}`);
  }
}
