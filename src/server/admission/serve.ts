// A listener serving only the admission routes (the gate without --upstream): HTTPS with the given PEM pair, else HTTP.
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { describeError, fail } from '../../core/index.js';
import type { AdmissionHandler } from './routes.js';

/** A running listener: its URL (with the real port when 0 was asked) and a draining close. */
export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Starts serving `handler` on `listen`; requests it does not handle get 404; ENVIRONMENT when the port is taken. */
export async function serveAdmission(handler: AdmissionHandler, opts: { listen: { host: string; port: number }; tls?: { cert: Buffer; key: Buffer } }): Promise<RunningServer> {
  const { host, port } = opts.listen;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handler(req, res).then(
      (handled) => {
        if (handled) return;
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: 'not found (this gate serves /admission/mutate and /admission/validate)' }));
      },
      () => res.destroy(),
    );
  };
  let server: Server;
  try {
    server = opts.tls ? createHttps({ cert: opts.tls.cert, key: opts.tls.key }, listener) : createHttp(listener);
  } catch (e) {
    fail('USAGE', `--tls-cert/--tls-key: ${describeError(e)}`, { cause: e });
  }
  server.headersTimeout = 15_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new Error(`cannot listen on ${shownHost}:${port}: ${describeError(e)}`)));
    server.listen(port, host, () => resolve());
  }).catch((e: unknown) => fail('ENVIRONMENT', describeError(e), { cause: e }));
  const addr = server.address();
  const realPort = typeof addr === 'object' && addr ? addr.port : port;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${shownHost}:${realPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
