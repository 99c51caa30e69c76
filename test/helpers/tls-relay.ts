// A TLS-terminating relay in front of the engine's unix socket (client certificates required), with a CA and
// server/client certificates made by openssl: what a `dockerd --tlsverify -H tcp://…` engine looks like to clients.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { createServer, type Server } from 'node:tls';
import { join } from 'node:path';
import { run } from './exec.js';

/** A folder laid out as docker's DOCKER_CERT_PATH: ca.pem, cert.pem, key.pem (the client's). */
export interface TlsCerts {
  /** The client folder (ca.pem, cert.pem, key.pem). */
  clientDir: string;
  /** The server's ca.pem, cert.pem, key.pem. */
  serverDir: string;
}

async function openssl(dir: string, args: string[]): Promise<void> {
  await run('openssl', args, { cwd: dir, check: true, timeoutMs: 30_000 });
}

/** Makes a CA and a server (IP 127.0.0.1) and client certificate signed by it, under DIR/{server,client}. */
export async function makeTlsCerts(dir: string, name = 'engine'): Promise<TlsCerts> {
  const serverDir = join(dir, 'server');
  const clientDir = join(dir, 'client');
  await mkdir(serverDir, { recursive: true });
  await mkdir(clientDir, { recursive: true });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await openssl(dir, ['req', '-x509', ...ec, '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', `/CN=${name} test CA`]);
  await writeFile(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  await writeFile(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [who, out] of [['server', serverDir], ['client', clientDir]] as const) {
    await openssl(dir, ['req', '-new', ...ec, '-keyout', join(out, 'key.pem'), '-out', `${who}.csr`, '-subj', `/CN=${who}`]);
    await openssl(dir, ['x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-days', '2', '-extfile', `${who}.ext`, '-out', join(out, 'cert.pem')]);
    await writeFile(join(out, 'ca.pem'), await readFile(join(dir, 'ca.pem')));
  }
  return { clientDir, serverDir };
}

/** A running relay: DOCKER_HOST for clients, and how to stop it. */
export interface TlsRelay {
  dockerHost: string;
  port: number;
  close(): Promise<void>;
}

/** Listens with TLS on 127.0.0.1 (random port), requires a client certificate from the CA, forwards to SOCKET. */
export async function startTlsRelay(certs: TlsCerts, socket = '/var/run/docker.sock'): Promise<TlsRelay> {
  const [key, cert, ca] = await Promise.all(['key.pem', 'cert.pem', 'ca.pem'].map((f) => readFile(join(certs.serverDir, f))));
  const open = new Set<Socket>();
  const server: Server = createServer({ key, cert, ca, requestCert: true, rejectUnauthorized: true }, (client) => {
    const engine = connect(socket);
    open.add(client);
    client.on('close', () => open.delete(client));
    client.pipe(engine).pipe(client);
    client.on('error', () => engine.destroy());
    engine.on('error', () => client.destroy());
  });
  server.on('tlsClientError', () => {
    // a refused handshake is what some tests are about
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    dockerHost: `tcp://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const c of open) c.destroy();
      }),
  };
}
