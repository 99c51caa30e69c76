// Sigstore bundles (v0.3 JSON): parsing with coded errors, serializing, and reading the in-toto statement inside.
import {
  BUNDLE_V01_MEDIA_TYPE,
  BUNDLE_V02_MEDIA_TYPE,
  BUNDLE_V03_LEGACY_MEDIA_TYPE,
  BUNDLE_V03_MEDIA_TYPE,
  bundleFromJSON,
  bundleToJSON,
  type Bundle,
  type BundleWithDsseEnvelope,
  type SerializedBundle,
} from '@sigstore/bundle';
import { describeError, fail } from '../core/errors.js';
import { INTOTO_PAYLOAD_TYPE, parseEnvelope } from './dsse.js';
import { isObject, parseStatement, type Statement } from './statement.js';

/** The bundle media type mlbuild writes (also the referrer's artifactType). */
export const BUNDLE_MEDIA_TYPE = BUNDLE_V03_MEDIA_TYPE;

const KNOWN_MEDIA_TYPES = new Set([BUNDLE_V01_MEDIA_TYPE, BUNDLE_V02_MEDIA_TYPE, BUNDLE_V03_LEGACY_MEDIA_TYPE, BUNDLE_V03_MEDIA_TYPE]);

/** The JSON form of a bundle, as written to files and registries. */
export type BundleJson = SerializedBundle;

/** A parsed DSSE bundle with its (still unverified) statement. */
export interface ParsedBundle {
  bundle: BundleWithDsseEnvelope;
  json: BundleJson;
  /** The exact payload bytes the signature covers. */
  payload: Buffer;
  statement: Statement;
}

/** Parses bundle JSON (text, bytes or value) holding an in-toto DSSE envelope; BAD_BUNDLE when malformed. */
export function parseBundle(input: string | Uint8Array | unknown, what = 'bundle'): ParsedBundle {
  let value: unknown = input;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    try {
      value = JSON.parse(typeof input === 'string' ? input : Buffer.from(input).toString('utf8'));
    } catch (e) {
      fail('BAD_BUNDLE', `${what} is not JSON: ${describeError(e)}`, { cause: e });
    }
  }
  if (!isObject(value)) fail('BAD_BUNDLE', `${what} is not a JSON object`);
  if (typeof value.mediaType !== 'string' || !KNOWN_MEDIA_TYPES.has(value.mediaType)) {
    fail('BAD_BUNDLE', `${what} has unknown mediaType ${JSON.stringify(value.mediaType)}`);
  }
  if (!isObject(value.dsseEnvelope)) fail('BAD_BUNDLE', `${what} holds no DSSE envelope`);
  parseEnvelope(value.dsseEnvelope, `${what} DSSE envelope`); // shape check before protobuf's lenient decoding
  let bundle: Bundle;
  try {
    bundle = bundleFromJSON(value);
  } catch (e) {
    fail('BAD_BUNDLE', `${what} is malformed: ${describeError(e)}${validationFields(e)}`, { cause: e });
  }
  if (bundle.content.$case !== 'dsseEnvelope') fail('BAD_BUNDLE', `${what} holds no DSSE envelope`);
  const env = bundle.content.dsseEnvelope;
  if (env.payloadType !== INTOTO_PAYLOAD_TYPE) fail('BAD_BUNDLE', `${what} payloadType is ${env.payloadType}, want ${INTOTO_PAYLOAD_TYPE}`);
  const statement = parseStatement(env.payload, `${what} statement`);
  return { bundle: bundle as BundleWithDsseEnvelope, json: value as unknown as BundleJson, payload: env.payload, statement };
}

function validationFields(e: unknown): string {
  const fields = (e as { fields?: unknown }).fields;
  return Array.isArray(fields) && fields.length > 0 ? ` (${fields.join(', ')})` : '';
}

/** Serializes a bundle to JSON, always spelling out `tlogEntries`, `rfc3161Timestamps` and DSSE `keyid` (empty ones included). */
export function serializeBundle(bundle: Bundle): BundleJson {
  const json = bundleToJSON(bundle);
  for (const s of json.dsseEnvelope?.signatures ?? []) s.keyid = s.keyid ?? '';
  const vm = json.verificationMaterial;
  vm.tlogEntries = vm.tlogEntries ?? [];
  vm.timestampVerificationData = { rfc3161Timestamps: vm.timestampVerificationData?.rfc3161Timestamps ?? [] };
  return json;
}

/** The key hint or certificate a bundle names, for display and store lookups (not a trust decision). */
export function bundleKeyMaterial(bundle: Bundle): { kind: 'key'; hint: string } | { kind: 'certificate'; der: Buffer } {
  const c = bundle.verificationMaterial.content;
  switch (c.$case) {
    case 'publicKey':
      return { kind: 'key', hint: c.publicKey.hint };
    case 'certificate':
      return { kind: 'certificate', der: c.certificate.rawBytes };
    case 'x509CertificateChain':
      return { kind: 'certificate', der: c.x509CertificateChain.certificates[0].rawBytes };
  }
}
