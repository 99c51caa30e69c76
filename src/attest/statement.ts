// in-toto Statement v1: building, and parsing with validation (readers also accept v0.1).
import { fail } from '../core/errors.js';

/** The Statement `_type` mlbuild writes. */
export const STATEMENT_TYPE_V1 = 'https://in-toto.io/Statement/v1';
/** The older `_type` readers still accept. */
export const STATEMENT_TYPE_V01 = 'https://in-toto.io/Statement/v0.1';
/** The CycloneDX predicate type mlbuild writes for image SBOMs. */
export const CYCLONEDX_PREDICATE_TYPE = 'https://cyclonedx.org/bom';

/** One statement subject: a name and its digests by algorithm (hex). */
export interface Subject {
  name: string;
  digest: { sha256: string } & Record<string, string>;
}

/** An in-toto statement with a typed predicate. */
export interface Statement<P = Record<string, unknown>> {
  _type: string;
  subject: Subject[];
  predicateType: string;
  predicate: P;
}

const HEX64 = /^[a-f0-9]{64}$/;

/** Builds a v1 statement; subject digests may be given as hex or `sha256:hex`. */
export function buildStatement<P>(subjects: { name: string; digest: string }[], predicateType: string, predicate: P): Statement<P> {
  if (subjects.length === 0) fail('USAGE', 'a statement needs at least one subject');
  const subject = subjects.map((s) => {
    const hex = s.digest.startsWith('sha256:') ? s.digest.slice(7) : s.digest;
    if (!HEX64.test(hex)) fail('USAGE', `subject ${s.name} has no sha256 digest: ${s.digest}`);
    return { name: s.name, digest: { sha256: hex } };
  });
  return { _type: STATEMENT_TYPE_V1, subject, predicateType, predicate };
}

/** True for every CycloneDX predicate type readers accept (`…/bom` and `…/bom/v1.x`). */
export function isCycloneDxPredicateType(t: string): boolean {
  return t === CYCLONEDX_PREDICATE_TYPE || /^https:\/\/cyclonedx\.org\/bom\/v1\.\d+$/.test(t);
}

/** Parses statement JSON (text, bytes or a parsed value) and checks its shape; BAD_BUNDLE when malformed. */
export function parseStatement(input: string | Uint8Array | unknown, what = 'statement'): Statement {
  let value: unknown = input;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
    try {
      value = JSON.parse(text);
    } catch (e) {
      fail('BAD_BUNDLE', `${what} is not JSON`, { cause: e });
    }
  }
  return validateStatement(value, what);
}

function validateStatement(v: unknown, what: string): Statement {
  if (!isObject(v)) fail('BAD_BUNDLE', `${what} is not a JSON object`);
  if (v._type !== STATEMENT_TYPE_V1 && v._type !== STATEMENT_TYPE_V01) {
    fail('BAD_BUNDLE', `${what} has unknown _type ${JSON.stringify(v._type)}`);
  }
  if (typeof v.predicateType !== 'string' || v.predicateType === '') fail('BAD_BUNDLE', `${what} has no predicateType`);
  if (!Array.isArray(v.subject) || v.subject.length === 0) fail('BAD_BUNDLE', `${what} has no subject`);
  const subject = v.subject.map((s, i) => validateSubject(s, `${what} subject[${i}]`));
  const predicate = v.predicate === undefined ? {} : v.predicate;
  if (!isObject(predicate)) fail('BAD_BUNDLE', `${what} predicate is not an object`);
  return { _type: v._type, subject, predicateType: v.predicateType, predicate };
}

function validateSubject(s: unknown, what: string): Subject {
  if (!isObject(s)) fail('BAD_BUNDLE', `${what} is not an object`);
  const name = s.name ?? '';
  if (typeof name !== 'string') fail('BAD_BUNDLE', `${what} name is not a string`);
  if (!isObject(s.digest)) fail('BAD_BUNDLE', `${what} has no digest`);
  const digest: Record<string, string> = {};
  for (const [alg, value] of Object.entries(s.digest)) {
    if (typeof value !== 'string') fail('BAD_BUNDLE', `${what} digest ${alg} is not a string`);
    digest[alg] = value.toLowerCase();
  }
  if (digest.sha256 === undefined || !HEX64.test(digest.sha256)) fail('BAD_BUNDLE', `${what} has no valid sha256 digest`);
  return { name, digest: digest as Subject['digest'] };
}

/** Narrowing helper: a plain JSON object. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
