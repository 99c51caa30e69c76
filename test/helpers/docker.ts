import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, type RunOptions, type RunResult } from './exec.js';

/** The Docker 20.10 client (the newer client first on PATH has no buildx, so BuildKit builds need this one). */
export const dockerBin = process.env.MLBUILD_TEST_DOCKER ?? '/usr/bin/docker';

/** Base images made by scripts/setup-env.sh (no image can be pulled in the test environment). */
export const BASE_IMAGES = {
  busybox: 'mlbuild-test/busybox:latest',
  debian: 'mlbuild-test/debian:bookworm',
} as const;

/** Options for {@link docker}: those of `run`, plus a DOCKER_CONFIG folder (credentials) to use. */
export interface DockerOptions extends RunOptions {
  dockerConfig?: string;
}

/** Runs `/usr/bin/docker ARGS…` and returns {code, stdout, stderr}; `check: true` throws on a non-zero exit. */
export function docker(args: readonly string[], opts: DockerOptions = {}): Promise<RunResult> {
  const env = { ...opts.env };
  if (opts.dockerConfig) env.DOCKER_CONFIG = opts.dockerConfig;
  return run(dockerBin, args, { ...opts, env });
}

/** Options for {@link buildImage}; network defaults to 'host' (the git server and registries listen on 127.0.0.1). */
export interface BuildOptions extends DockerOptions {
  dockerfile?: string;
  network?: string;
  buildArgs?: Record<string, string>;
  /** Further `docker build` flags, e.g. ['--no-cache', '--label', 'k=v']. */
  extraArgs?: string[];
}

/** A build's output plus the image ID (sha256:…) when it succeeded. */
export interface BuildResult extends RunResult {
  imageId?: string;
}

/** Builds CONTEXT as TAG with BuildKit through the 20.10 client; throws on failure unless `check: false`. */
export async function buildImage(contextDir: string, tag: string, opts: BuildOptions = {}): Promise<BuildResult> {
  const tmp = await mkdtemp(join(tmpdir(), 'mlbuild-test-iid-'));
  const iidFile = join(tmp, 'iid');
  try {
    const args = ['build', '--progress=plain', '--iidfile', iidFile, '-t', tag, '--network', opts.network ?? 'host'];
    if (opts.dockerfile) args.push('-f', opts.dockerfile);
    for (const [k, v] of Object.entries(opts.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
    args.push(...(opts.extraArgs ?? []), contextDir);
    const result = await docker(args, {
      timeoutMs: 170_000,
      ...opts,
      check: opts.check ?? true,
      env: { DOCKER_BUILDKIT: '1', ...opts.env },
    });
    const imageId = result.code === 0 ? (await readFile(iidFile, 'utf8')).trim() : undefined;
    return { ...result, imageId };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Removes local image references (tags or IDs), ignoring ones that do not exist. */
export async function removeImage(...refs: string[]): Promise<void> {
  if (refs.length === 0) return;
  await docker(['image', 'rm', '--force', ...refs]);
}

/** Writes `docker save REF` to FILE (a docker-archive tarball). */
export async function saveImage(ref: string, file: string): Promise<void> {
  await docker(['save', '-o', file, ref], { check: true });
}

/** The local image ID (sha256:…) of REF, or undefined when the daemon does not have it. */
export async function imageId(ref: string): Promise<string | undefined> {
  const r = await docker(['image', 'inspect', '--format', '{{.Id}}', ref]);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** Runs a command in a throw-away container of IMAGE (no network) and returns its output. */
export function runInImage(image: string, command: string[], opts: DockerOptions = {}): Promise<RunResult> {
  return docker(['run', '--rm', '--network', 'none', image, ...command], opts);
}

/** True when the Docker engine answers (`docker info`). */
export async function dockerAvailable(): Promise<boolean> {
  return (await docker(['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 20_000 }).catch(() => undefined))?.code === 0;
}
