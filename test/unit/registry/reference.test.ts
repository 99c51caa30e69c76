import { describe, expect, it } from 'vitest';
import { isMlbuildError } from '../../../src/core/errors.js';
import { apiHost, parseReference, parseRepository } from '../../../src/registry/reference.js';

const D = `sha256:${'a'.repeat(64)}`;

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isMlbuildError(e) ? e.code : 'not-coded';
  }
  return undefined;
}

describe('parseReference', () => {
  it.each([
    ['ubuntu', 'docker.io', 'library/ubuntu', 'latest', undefined],
    ['ubuntu:22.04', 'docker.io', 'library/ubuntu', '22.04', undefined],
    ['org/app', 'docker.io', 'org/app', 'latest', undefined],
    ['index.docker.io/org/app:1', 'docker.io', 'org/app', '1', undefined],
    ['docker.io/ubuntu', 'docker.io', 'library/ubuntu', 'latest', undefined],
    ['127.0.0.1:5000/ns/app:1.0', '127.0.0.1:5000', 'ns/app', '1.0', undefined],
    [`localhost:5000/app@${D}`, 'localhost:5000', 'app', undefined, D],
    [`localhost/app:v1@${D}`, 'localhost', 'app', 'v1', D],
    ['reg.example/a/b/c__d-e.f:tag_1-x.y', 'reg.example', 'a/b/c__d-e.f', 'tag_1-x.y', undefined],
    ['[::1]:5000/app', '[::1]:5000', 'app', 'latest', undefined],
    ['Registry/app', 'Registry', 'app', 'latest', undefined],
  ])('%s', (input, registry, name, tag, digest) => {
    const r = parseReference(input);
    expect([r.registry, r.name, r.tag, r.digest]).toEqual([registry, name, tag, digest]);
  });

  it('gives repository, reference, toString and the API host', () => {
    const r = parseReference('ubuntu');
    expect(r.repository).toBe('docker.io/library/ubuntu');
    expect(r.toString()).toBe('docker.io/library/ubuntu:latest');
    expect(r.reference).toBe('latest');
    expect(apiHost(r.registry)).toBe('registry-1.docker.io');
    expect(apiHost('127.0.0.1:5000')).toBe('127.0.0.1:5000');
  });

  it('pins a digest and keeps the tag', () => {
    const r = parseReference('127.0.0.1:5000/ns/app:1.0').withDigest(D as `sha256:${string}`);
    expect(r.toString()).toBe(`127.0.0.1:5000/ns/app:1.0@${D}`);
    expect(r.reference).toBe(D);
    expect(parseReference(r.toString())).toEqual(r);
  });

  it.each([
    '',
    '  ',
    'UPPER',
    'ns/UPPER',
    'reg.example/App',
    'app:bad:tag',
    'app:-tag',
    'app@sha256:abc',
    `app@sha512:${'a'.repeat(128)}`,
    'reg.example//app',
    'app/',
    'a b',
    'reg_bad.example:5000/app',
    `app:${'t'.repeat(129)}`,
  ])('rejects %j with BAD_TARGET', (input) => {
    expect(code(() => parseReference(input))).toBe('BAD_TARGET');
  });

  it('parses repositories without tag or digest', () => {
    expect(parseRepository('127.0.0.1:5000/ns/app')).toEqual({ registry: '127.0.0.1:5000', name: 'ns/app' });
    expect(parseRepository('alpine')).toEqual({ registry: 'docker.io', name: 'library/alpine' });
    expect(code(() => parseRepository('127.0.0.1:5000/ns/app:1'))).toBe('BAD_TARGET');
    expect(code(() => parseRepository(`app@${D}`))).toBe('BAD_TARGET');
  });
});
