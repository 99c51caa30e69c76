// A byte stream to a remote engine over ssh, as docker does it: `ssh … -- HOST docker system dial-stdio`.
import { spawn } from 'node:child_process';
import { Duplex } from 'node:stream';
import type { EngineSsh } from './engine-endpoint.js';

/** The ssh arguments docker uses for an ssh:// host. */
export function sshDialArgs(ssh: EngineSsh): string[] {
  return ['-o', 'ConnectTimeout=30', '-T', ...(ssh.user ? ['-l', ssh.user] : []), ...(ssh.port ? ['-p', String(ssh.port)] : []), '--', ssh.host, 'docker', 'system', 'dial-stdio'];
}

/** Spawns ssh running `docker system dial-stdio` on the host and returns its stdin/stdout as one duplex stream. */
export function sshDial(ssh: EngineSsh, env: NodeJS.ProcessEnv = process.env): Duplex {
  const child = spawn('ssh', sshDialArgs(ssh), { stdio: ['pipe', 'pipe', 'pipe'], env });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c: string) => {
    stderr = (stderr + c).slice(-4096);
  });
  const stream = Duplex.from({ readable: child.stdout, writable: child.stdin });
  const lastLine = () => stderr.trim().split('\n').pop() ?? '';
  child.on('error', (err) => stream.destroy(new Error(`cannot run ssh: ${err.message}`)));
  child.on('exit', (code, signal) => {
    // ssh ending before the engine answered is a connection failure; its last stderr line says why.
    if (code !== 0 && !signal && !stream.destroyed) stream.destroy(new Error(`ssh to ${ssh.host} exited ${code}${lastLine() ? `: ${lastLine()}` : ''}`));
  });
  stream.on('close', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  });
  return stream;
}
