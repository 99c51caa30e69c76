// The gate's one error table: handlers throw GateError (or any error), one writer answers in the OCI error format.
import type { ServerResponse } from 'node:http';
import { isMlbuildError } from '../core/errors.js';
import { RegistryError } from '../registry/index.js';

/** An error a gate handler throws: HTTP status, OCI error code, a one-line message and an optional detail. */
export class GateError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'GateError';
  }
}

/** Shorthand: throws a GateError. */
export function deny(status: number, code: string, message: string, detail?: unknown, headers?: Record<string, string>): never {
  throw new GateError(status, code, message, detail, headers);
}

/**
 * Maps any failure to what the client is told. Upstream faults fail closed: 404 stays "unknown", everything else
 * from the upstream (unreachable, timeouts, 5xx, malformed or over-size replies, wrong digests) is a 502/503/504.
 */
export function toGateError(e: unknown, what: string, unknownCode = 'MANIFEST_UNKNOWN'): GateError {
  if (e instanceof GateError) return e;
  if (e instanceof RegistryError && e.status === 404) return new GateError(404, unknownCode, `${what}: not found upstream`);
  if (isMlbuildError(e)) {
    const why = `${what}: upstream ${e.message}`;
    if (e.code === 'REGISTRY_UNREACHABLE') return new GateError(/no response within|no data for|timed out/i.test(e.message) ? 504 : 503, 'UNAVAILABLE', why);
    if (e.code === 'REGISTRY_ERROR') return new GateError(e instanceof RegistryError && e.isAuth ? 502 : 503, 'UNAVAILABLE', why);
    if (e.code === 'NOT_FOUND') return new GateError(404, unknownCode, `${what}: not found upstream`);
    if (e.code === 'USAGE' || e.code === 'BAD_TARGET') return new GateError(400, 'NAME_INVALID', `${what}: ${e.message}`);
    // Wrong digests, over-size or malformed manifests, unsupported media types: never served.
    return new GateError(502, 'UNAVAILABLE', why);
  }
  return new GateError(500, 'UNKNOWN', `${what}: internal error`);
}

/** Writes `{"errors":[{code,message,detail}]}` with the status, unless the response already started (then aborts it). */
export function writeOciError(res: ServerResponse, err: GateError, head = false): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = Buffer.from(JSON.stringify({ errors: [{ code: err.code, message: err.message, ...(err.detail === undefined ? {} : { detail: err.detail }) }] }));
  res.writeHead(err.status, { ...err.headers, 'Content-Type': 'application/json', 'Content-Length': String(body.length) });
  res.end(head ? undefined : body);
}

/** The raw HTTP/1.1 reply for a request Node could not parse (over-size headers, bad syntax), in the OCI format. */
export function rawBadRequest(message: string): string {
  const body = JSON.stringify({ errors: [{ code: 'UNSUPPORTED', message }] });
  return `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}
