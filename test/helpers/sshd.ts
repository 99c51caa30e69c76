// A private sshd on 127.0.0.1 (its own host key, config and authorized key in a temp folder) and an `ssh` on PATH
// that is the real ssh with a config naming the test's key: what `DOCKER_HOST=ssh://root@127.0.0.1:PORT` needs.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { run } from './exec.js';

const SSHD = '/usr/sbin/sshd';

/** A running sshd and the PATH folder holding the `ssh` wrapper. */
export interface Sshd {
  port: number;
  /** Prepend to PATH: holds `ssh` (the real one, with -F the test's config). */
  binDir: string;
  /** The argument lines of every ssh session started through the wrapper so far. */
  sessions(): Promise<string[]>;
  stop(): Promise<void>;
}

/** Why an sshd cannot run here, or undefined. */
export function sshdMissing(): string | undefined {
  if (!existsSync(SSHD)) return `${SSHD} is not installed (openssh-server; scripts/setup-env.sh installs it as root)`;
  if (process.getuid?.() !== 0) return 'sshd needs root here (privilege separation)';
  return undefined;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function listening(port: number, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`sshd exited ${child.exitCode}: ${log()}`);
    const ok = await new Promise<boolean>((r) => {
      const c = connect(port, '127.0.0.1', () => (c.end(), r(true)));
      c.on('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`sshd did not listen on ${port}: ${log()}`);
}

/** Starts sshd on a free 127.0.0.1 port accepting only a fresh key for root; writes the ssh wrapper. */
export async function startSshd(dir: string): Promise<Sshd> {
  const binDir = join(dir, 'bin');
  await mkdir(binDir, { recursive: true });
  for (const k of ['host_key', 'client_key']) await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, k)], { check: true });
  await copyFile(join(dir, 'client_key.pub'), join(dir, 'authorized_keys'));
  const port = await freePort();
  await writeFile(join(dir, 'sshd_config'), [
    'ListenAddress 127.0.0.1', `Port ${port}`, `HostKey ${join(dir, 'host_key')}`, `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'UsePAM no', 'StrictModes no', 'PermitRootLogin prohibit-password',
    `PidFile ${join(dir, 'sshd.pid')}`, '',
  ].join('\n'));
  await writeFile(join(dir, 'ssh_config'), [
    'Host *', `  IdentityFile ${join(dir, 'client_key')}`, '  IdentitiesOnly yes', '  UserKnownHostsFile /dev/null',
    '  StrictHostKeyChecking no', '  BatchMode yes', '  LogLevel ERROR', '',
  ].join('\n'));
  // Each session is logged (one line) so tests can count them.
  await writeFile(join(binDir, 'ssh'), `#!/bin/sh\necho "$*" >> ${join(dir, 'sessions.log')}\nexec /usr/bin/ssh -F ${join(dir, 'ssh_config')} "$@"\n`);
  await chmod(join(binDir, 'ssh'), 0o755);
  // sshd's privilege separation folder (the Debian service makes it at start).
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const child = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (c: Buffer) => {
    log = (log + c.toString('utf8')).slice(-2000);
  });
  await listening(port, child, () => log);
  return {
    port,
    binDir,
    sessions: async () => (await readFile(join(dir, 'sessions.log'), 'utf8').catch(() => '')).split('\n').filter(Boolean),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
