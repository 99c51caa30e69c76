// Shared helpers of the `mlbuild build` tests: run plain `docker build` and `mlbuild build` alike, read images back.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { docker, runCli, type RunResult } from '../../helpers/index.js';

/** What the tests compare of a built image: its ID, the config fields a Dockerfile sets, and its tags. */
export interface ImageSummary {
  id: string;
  labels: Record<string, string>;
  env: string[];
  cmd: string[] | null;
  workingDir: string;
  architecture: string;
  tags: string[];
}

/** `docker image inspect REF` reduced to an {@link ImageSummary}; undefined when the daemon has no such image. */
export async function inspectImage(ref: string): Promise<ImageSummary | undefined> {
  const r = await docker(['image', 'inspect', '--format', '{{json .}}', ref]);
  if (r.code !== 0) return undefined;
  const i = JSON.parse(r.stdout) as { Id: string; RepoTags: string[] | null; Architecture: string; Config: { Labels: Record<string, string> | null; Env: string[] | null; Cmd: string[] | null; WorkingDir: string } };
  return {
    id: i.Id,
    labels: i.Config.Labels ?? {},
    env: i.Config.Env ?? [],
    cmd: i.Config.Cmd,
    workingDir: i.Config.WorkingDir,
    architecture: i.Architecture,
    tags: [...(i.RepoTags ?? [])].sort(),
  };
}

/** True when the daemon has REF (a tag or an image ID). */
export async function hasImage(ref: string): Promise<boolean> {
  return (await docker(['image', 'inspect', ref])).code === 0;
}

/** A fresh, unused local repository name, e.g. `mlbuild-test-build/flags-1a2b3c4d`. */
export function localRepo(prefix: string): string {
  return `mlbuild-test-build/${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Writes FILES (relative path → content) under DIR, creating folders; returns DIR. */
export async function writeFiles(dir: string, files: Record<string, string | Buffer>): Promise<string> {
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), content);
  }
  return dir;
}

/** Runs plain `/usr/bin/docker build ARGS…` (the yardstick) with extra environment. */
export function dockerBuild(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return docker(['build', ...args], { env, timeoutMs: 170_000 });
}

/** Runs `mlbuild build ARGS…` (through bin/mlbuild) with extra environment. */
export function mlbuildBuild(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 170_000): Promise<RunResult> {
  return runCli(['build', ...args], { env, timeoutMs });
}

/** The lines of a command's output, trimmed, without empty ones. */
export function lines(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter(Boolean);
}

/** The --json report a build printed on stdout, or an error showing what it printed instead. */
export function jsonReport<T>(r: RunResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`no JSON report (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
}
