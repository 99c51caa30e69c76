// Opens HTTP requests to the engine over whatever carries them: a unix socket, TCP, TLS, or ssh dial-stdio.
import { request as httpRequest, type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { EngineEndpoint, EngineSsh } from './engine-endpoint.js';
import { SshAgent } from './ssh-dial.js';

const sshAgents = new Map<string, SshAgent>();

/** One keep-alive agent per ssh engine, so a run opens a few ssh sessions rather than one per request. */
function sshAgent(key: string, ssh: EngineSsh): SshAgent {
  let agent = sshAgents.get(key);
  if (!agent) sshAgents.set(key, (agent = new SshAgent(ssh)));
  return agent;
}

/** Starts a request to the engine (a fresh connection per request, except kept-alive ssh sessions); the caller writes the body and ends it. */
export function engineRequest(endpoint: EngineEndpoint, method: string, path: string, headers: OutgoingHttpHeaders, onResponse: (res: IncomingMessage) => void): ClientRequest {
  const { socketPath, host, port, tls, ssh } = endpoint;
  if (ssh) {
    // The host name only fills the Host header: the bytes go through ssh to the remote engine's socket.
    return httpRequest({ host: 'docker', method, path, headers, agent: sshAgent(endpoint.display, ssh) }, onResponse);
  }
  if (tls && host) {
    return httpsRequest({ host, port, method, path, headers, agent: false, ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: tls.verify }, onResponse);
  }
  return httpRequest({ socketPath, host, port, method, path, headers, agent: false }, onResponse);
}
