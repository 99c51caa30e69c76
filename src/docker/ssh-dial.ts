// A byte stream to a remote engine over ssh, as docker does it: `ssh … -- HOST docker system dial-stdio`.
import { spawn } from 'node:child_process';
import { Agent, type ClientRequest } from 'node:http';
import type { Socket } from 'node:net';
import { Duplex, PassThrough } from 'node:stream';
import type { EngineSsh } from './engine-endpoint.js';

/** The ssh arguments docker uses for an ssh:// host. */
export function sshDialArgs(ssh: EngineSsh): string[] {
  return ['-o', 'ConnectTimeout=30', '-T', ...(ssh.user ? ['-l', ssh.user] : []), ...(ssh.port ? ['-p', String(ssh.port)] : []), '--', ssh.host, 'docker', 'system', 'dial-stdio'];
}

/** Spawns ssh running `docker system dial-stdio` on the host and returns its stdin/stdout as one duplex stream. */
export function sshDial(ssh: EngineSsh, env?: NodeJS.ProcessEnv): Duplex {
  const child = spawn('ssh', sshDialArgs(ssh), { stdio: ['pipe', 'pipe', 'pipe'], env });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c: string) => {
    stderr = (stderr + c).slice(-4096);
  });
  // The read side ends only once ssh has exited: a failed ssh (exit 255) then reports its own last stderr line
  // instead of the HTTP client's "socket hang up".
  const out = new PassThrough();
  child.stdout.pipe(out, { end: false });
  const stream = Duplex.from({ readable: out, writable: child.stdin });
  const lastLine = () => stderr.trim().split('\n').pop() ?? '';
  child.on('error', (err) => stream.destroy(new Error(`cannot run ssh: ${err.message}`)));
  child.on('close', (code, signal) => {
    if (code === 0 || signal || stream.destroyed) out.end();
    else stream.destroy(new Error(`ssh to ${ssh.host} exited ${code}${lastLine() ? `: ${lastLine()}` : ''}`));
  });
  // Once ssh is gone and its output read, the connection is over: a kept-alive idle one must not be reused.
  stream.once('end', () => stream.destroy());
  stream.on('close', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  });
  // Like a socket: an idle kept-alive connection must not keep the process running.
  // The pipes are net.Sockets at run time (Node types them as plain streams).
  const handles = [child, ...[child.stdin, child.stdout, child.stderr].map((p) => p as unknown as Socket)];
  return Object.assign(stream, {
    ref: () => handles.forEach((h) => h.ref()),
    unref: () => handles.forEach((h) => h.unref()),
  });
}

/** An HTTP agent whose connections are ssh dial-stdio sessions, kept alive and reused as docker's own client does. */
export class SshAgent extends Agent {
  constructor(private readonly ssh: EngineSsh) {
    super({ keepAlive: true, maxSockets: 4 });
  }

  override createConnection(): Duplex {
    return sshDial(this.ssh);
  }

  override keepSocketAlive(socket: Socket): boolean {
    socket.unref();
    return true;
  }

  override reuseSocket(socket: Socket, req: ClientRequest): void {
    socket.ref();
    req.reusedSocket = true;
  }
}
