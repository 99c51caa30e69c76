// Opens HTTP requests to the engine over whatever carries them: a unix socket, TCP, TLS, or ssh dial-stdio.
import { request as httpRequest, type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { EngineEndpoint } from './engine-endpoint.js';
import { sshDial } from './ssh-dial.js';

/** Starts a request to the engine (one connection per request); the caller writes the body and ends it. */
export function engineRequest(endpoint: EngineEndpoint, method: string, path: string, headers: OutgoingHttpHeaders, onResponse: (res: IncomingMessage) => void): ClientRequest {
  const { socketPath, host, port, tls, ssh } = endpoint;
  if (ssh) {
    // The host name only fills the Host header: the bytes go through ssh to the remote engine's socket.
    return httpRequest({ host: 'docker', method, path, headers, createConnection: () => sshDial(ssh) as never }, onResponse);
  }
  if (tls && host) {
    return httpsRequest({ host, port, method, path, headers, agent: false, ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: tls.verify }, onResponse);
  }
  return httpRequest({ socketPath, host, port, method, path, headers, agent: false }, onResponse);
}
