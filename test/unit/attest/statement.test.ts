import { dsse } from '@sigstore/core';
import { describe, expect, it } from 'vitest';
import { INTOTO_PAYLOAD_TYPE, pae, parseEnvelope } from '../../../src/attest/dsse.js';
import { buildStatement, isCycloneDxPredicateType, parseStatement, STATEMENT_TYPE_V01 } from '../../../src/attest/statement.js';

const HEX = 'ab'.repeat(32);

describe('DSSE', () => {
  it('PAE follows the DSSE v1 spec and agrees with @sigstore/core', () => {
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
    const body = Buffer.from('{"é":"ü"}'); // byte lengths, not character counts
    expect(pae(INTOTO_PAYLOAD_TYPE, body).equals(dsse.preAuthEncoding(INTOTO_PAYLOAD_TYPE, body))).toBe(true);
  });

  it('rejects malformed envelopes with BAD_BUNDLE', () => {
    for (const bad of [null, {}, { payloadType: 'x', payload: '!!', signatures: [{ sig: 'AA==' }] }, { payloadType: 'x', payload: 'AA==', signatures: [] }]) {
      expect(() => parseEnvelope(bad)).toThrow(expect.objectContaining({ code: 'BAD_BUNDLE' }));
    }
  });
});

describe('in-toto statements', () => {
  it('builds v1 statements and parses them back', () => {
    const st = buildStatement([{ name: 'reg.example/app', digest: `sha256:${HEX}` }], 'https://cyclonedx.org/bom', { x: 1 });
    expect(st).toEqual({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'reg.example/app', digest: { sha256: HEX } }],
      predicateType: 'https://cyclonedx.org/bom',
      predicate: { x: 1 },
    });
    expect(parseStatement(JSON.stringify(st))).toEqual(st);
  });

  it('reads v0.1 statements and CycloneDX v1.x predicate types', () => {
    const st = parseStatement({ _type: STATEMENT_TYPE_V01, subject: [{ name: 'a', digest: { sha256: HEX.toUpperCase() } }], predicateType: 'https://cyclonedx.org/bom/v1.5', predicate: {} });
    expect(st.subject[0].digest.sha256).toBe(HEX);
    expect(isCycloneDxPredicateType(st.predicateType)).toBe(true);
    expect(isCycloneDxPredicateType('https://cyclonedx.org/bom')).toBe(true);
    expect(isCycloneDxPredicateType('https://spdx.dev/Document')).toBe(false);
  });

  it('rejects malformed statements with BAD_BUNDLE', () => {
    const good = { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'a', digest: { sha256: HEX } }], predicateType: 'p', predicate: {} };
    const bad: unknown[] = [
      'not json',
      '[]',
      { ...good, _type: 'https://example.com/Statement' },
      { ...good, subject: [] },
      { ...good, subject: [{ name: 'a', digest: { sha1: 'ab' } }] },
      { ...good, subject: [{ name: 'a', digest: { sha256: 'xyz' } }] },
      { ...good, predicateType: 7 },
      { ...good, predicate: [1] },
    ];
    for (const b of bad) expect(() => parseStatement(b), JSON.stringify(b)).toThrow(expect.objectContaining({ code: 'BAD_BUNDLE' }));
  });
});
