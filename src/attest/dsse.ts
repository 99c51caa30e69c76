// DSSE: the pre-authentication encoding that is signed, and the JSON envelope that carries payload and signatures.
import { fail } from '../core/errors.js';
import { isObject } from './statement.js';

/** The payload type of in-toto statements in DSSE. */
export const INTOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** A DSSE envelope in its JSON form (payload and signatures base64). */
export interface DsseEnvelope {
  payloadType: string;
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

/** DSSE v1 PAE: `DSSEv1 <len(type)> <type> <len(body)> <body>`, lengths in bytes as decimal. */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  const head = Buffer.from(`DSSEv1 ${type.length} ${payloadType} ${payload.length} `, 'utf8');
  return Buffer.concat([head, payload]);
}

/** Checks an envelope's JSON shape and returns it with the payload decoded; BAD_BUNDLE when malformed. */
export function parseEnvelope(v: unknown, what = 'DSSE envelope'): { envelope: DsseEnvelope; payload: Buffer } {
  if (!isObject(v)) fail('BAD_BUNDLE', `${what} is not an object`);
  const { payloadType, payload, signatures } = v;
  if (typeof payloadType !== 'string') fail('BAD_BUNDLE', `${what} has no payloadType`);
  if (typeof payload !== 'string' || !isBase64(payload)) fail('BAD_BUNDLE', `${what} payload is not base64`);
  if (!Array.isArray(signatures) || signatures.length === 0) fail('BAD_BUNDLE', `${what} has no signatures`);
  const sigs = signatures.map((s, i) => {
    if (!isObject(s) || typeof s.sig !== 'string' || !isBase64(s.sig)) fail('BAD_BUNDLE', `${what} signature[${i}] is malformed`);
    return { keyid: typeof s.keyid === 'string' ? s.keyid : '', sig: s.sig };
  });
  return { envelope: { payloadType, payload, signatures: sigs }, payload: Buffer.from(payload, 'base64') };
}

/** Decodes an in-toto envelope's payload bytes, refusing other payload types (BAD_BUNDLE). */
export function intotoPayload(v: unknown, what = 'DSSE envelope'): Buffer {
  const { envelope, payload } = parseEnvelope(v, what);
  if (envelope.payloadType !== INTOTO_PAYLOAD_TYPE) {
    fail('BAD_BUNDLE', `${what} payloadType is ${envelope.payloadType}, want ${INTOTO_PAYLOAD_TYPE}`);
  }
  return payload;
}

function isBase64(s: string): boolean {
  return s.length > 0 && /^[A-Za-z0-9+/_-]*={0,2}$/.test(s);
}
