// A private Podman (its own storage, run dir and registries.conf in a temp folder) serving the Docker API on a temp socket.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dockerBin } from './docker.js';
import { run, type RunResult } from './exec.js';
import { AUTH_REGISTRY, REGISTRY } from './registry.js';

/** A running Podman API service and how to reach it. */
export interface PodmanService {
  /** `unix:///…/podman.sock`, for DOCKER_HOST or `-H`. */
  dockerHost: string;
  /** Runs `podman ARGS…` against the same storage. */
  podman(args: string[], opts?: { input?: Buffer }): Promise<RunResult>;
  stop(): Promise<void>;
}

/** Why Podman tests cannot run here, or undefined when `podman` is installed. */
export function podmanMissing(): string | undefined {
  return spawnSync('podman', ['--version']).status === 0 ? undefined : 'podman is not installed (scripts/setup-env.sh installs it as root)';
}

async function waitForSocket(path: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (existsSync(path)) return;
    if (child.exitCode !== null) throw new Error(`podman system service exited ${child.exitCode}: ${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`podman system service made no socket at ${path} within 10 s: ${log()}`);
}

/**
 * Starts `podman system service` on DIR/podman.sock with storage under DIR (vfs: works on any filesystem), the test
 * registries marked insecure (plain HTTP) in DIR/registries.conf, and the base images loaded from the Docker engine.
 */
export async function startPodman(dir: string, images: string[]): Promise<PodmanService> {
  await mkdir(dir, { recursive: true });
  const conf = join(dir, 'registries.conf');
  await writeFile(conf, [REGISTRY, AUTH_REGISTRY].map((r) => `[[registry]]\nlocation = "${r}"\ninsecure = true\n`).join('\n'));
  const env = { ...process.env, CONTAINERS_REGISTRIES_CONF: conf };
  const global = ['--root', join(dir, 'root'), '--runroot', join(dir, 'run'), '--tmpdir', join(dir, 'tmp'), '--storage-driver', 'vfs', '--cgroup-manager', 'cgroupfs', '--events-backend', 'file'];
  const socket = join(dir, 'podman.sock');
  const podman = (args: string[], opts: { input?: Buffer } = {}) => run('podman', [...global, ...args], { env, input: opts.input, timeoutMs: 170_000 });
  for (const image of images) {
    const saved = await run('sh', ['-c', `${dockerBin} save ${image} | podman ${global.join(' ')} load`], { env, timeoutMs: 120_000 });
    if (saved.code !== 0) throw new Error(`loading ${image} into podman failed: ${saved.stderr}`);
  }
  const child = spawn('podman', [...global, 'system', 'service', '--time=0', `unix://${socket}`], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (c: Buffer) => {
    log = (log + c.toString('utf8')).slice(-2000);
  });
  await waitForSocket(socket, child, () => log);
  return {
    dockerHost: `unix://${socket}`,
    podman,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
