import { describe, expect, it } from 'vitest';
import { parseWwwAuthenticate } from '../../../src/registry/www-authenticate.js';

describe('parseWwwAuthenticate', () => {
  it('parses a distribution bearer challenge', () => {
    const h = 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/ubuntu:pull"';
    expect(parseWwwAuthenticate(h)).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/ubuntu:pull' } },
    ]);
  });

  it('parses basic with spaces, unquoted values and case', () => {
    expect(parseWwwAuthenticate('Basic  Realm = mlbuild-test ,charset="UTF-8"')).toEqual([
      { scheme: 'basic', params: { realm: 'mlbuild-test', charset: 'UTF-8' } },
    ]);
  });

  it('keeps commas and escaped quotes inside quoted values', () => {
    const h = 'Bearer realm="https://r.example/token",scope="repository:a:pull,push repository:b:pull",error="say \\"hi\\""';
    const [c] = parseWwwAuthenticate(h);
    expect(c?.params.scope).toBe('repository:a:pull,push repository:b:pull');
    expect(c?.params.error).toBe('say "hi"');
  });

  it('splits several challenges in one header', () => {
    const got = parseWwwAuthenticate('Negotiate abc==, Bearer realm="r", service="s", Basic realm="b"');
    expect(got.map((c) => c.scheme)).toEqual(['negotiate', 'bearer', 'basic']);
    expect(got[0]?.params.token).toBe('abc==');
    expect(got[1]?.params).toEqual({ realm: 'r', service: 's' });
    expect(got[2]?.params).toEqual({ realm: 'b' });
  });

  it('yields nothing for empty or malformed input', () => {
    expect(parseWwwAuthenticate('')).toEqual([]);
    expect(parseWwwAuthenticate('=broken')).toEqual([]);
  });
});
