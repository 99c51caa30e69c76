// Runs the docker CLI (for builds and pushes, so output and flags are exactly docker's), forwarding Ctrl-C.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { MlbuildError, describeError } from '../core/index.js';

/** The docker binary: the one asked for, else /usr/bin/docker (the distribution's client with BuildKit), else PATH. */
export function dockerBinary(chosen?: string): string {
  if (chosen) return chosen;
  return existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';
}

/** What a docker CLI run returned. */
export interface DockerRun {
  code: number;
  /** Set when the run ended because mlbuild was interrupted. */
  interrupted?: NodeJS.Signals;
  stdout: string;
  stderr: string;
}

/** Options of a docker CLI run. */
export interface DockerRunOptions {
  /** 'inherit' streams docker's output as it comes (builds); 'stderr' streams both of docker's streams to our stderr
   * (keeps stdout for a --json report); 'pipe' captures it. */
  stdio?: 'inherit' | 'stderr' | 'pipe';
  /** The child's environment (default: inherited). */
  env?: NodeJS.ProcessEnv;
  binary?: string;
  /** Aborting forwards the abort reason's signal (SIGINT unless the reason is 'SIGTERM') to docker. */
  signal?: AbortSignal;
}

/** Which docker CLI runs, and with what environment (built once by the wiring). */
export type DockerCliOptions = Pick<DockerRunOptions, 'binary' | 'env'>;

/** Runs `docker ARGS…`; an abort meanwhile is forwarded to docker as a signal and reported as `interrupted`. */
export function runDocker(args: string[], opts: DockerRunOptions = {}): Promise<DockerRun> {
  const bin = opts.binary ?? dockerBinary();
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: opts.stdio === 'inherit' ? ['inherit', 'inherit', 'inherit'] : opts.stdio === 'stderr' ? ['inherit', 2, 'inherit'] : ['ignore', 'pipe', 'pipe'], env: opts.env });
    let interrupted: NodeJS.Signals | undefined;
    const onAbort = () => {
      interrupted = opts.signal?.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
      child.kill(interrupted);
    };
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      opts.signal?.removeEventListener('abort', onAbort);
      reject(new MlbuildError('ENGINE_UNAVAILABLE', `cannot run ${bin}: ${describeError(e)}`, { hint: 'install the docker CLI or set MLBUILD_DOCKER' }));
    });
    child.on('close', (code, signal) => {
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({
        code: code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : 15) : 1),
        interrupted,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}
