import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter, USER_AGENT } from '../../../src/registry/fetch.js';
import { parseOciErrors, statusError } from '../../../src/registry/errors.js';
import { isLoopbackHost, registryBaseUrl } from '../../../src/registry/transport.js';

describe('fetch policy pieces', () => {
  it('parses Retry-After seconds and dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it('backs off exponentially with jitter and a cap', () => {
    const p = { baseDelayMs: 100, maxDelayMs: 1000 };
    for (let i = 0; i < 50; i++) {
      const d1 = backoffDelay(1, p);
      const d3 = backoffDelay(3, p);
      expect(d1).toBeGreaterThanOrEqual(50);
      expect(d1).toBeLessThanOrEqual(100);
      expect(d3).toBeGreaterThanOrEqual(200);
      expect(d3).toBeLessThanOrEqual(400);
      expect(backoffDelay(10, p)).toBeLessThanOrEqual(1000);
    }
  });

  it('sends mlbuild/<version>', () => {
    expect(USER_AGENT).toMatch(/^mlbuild\/\d+\.\d+\.\d+/);
  });

  it('maps statuses and OCI errors to codes', () => {
    const errors = parseOciErrors('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"x"}}]}');
    expect(errors).toEqual([{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: { Tag: 'x' } }]);
    expect(parseOciErrors('<html>')).toEqual([]);
    expect(statusError(404, 'x', errors).code).toBe('NOT_FOUND');
    const auth = statusError(401, 'x', [], 'reg.example');
    expect([auth.code, auth.isAuth, auth.temporary]).toEqual(['REGISTRY_ERROR', true, false]);
    expect(auth.hint).toContain('docker login reg.example');
    expect(statusError(503, 'x', []).temporary).toBe(true);
    expect(statusError(429, 'x', []).temporary).toBe(true);
    expect(statusError(400, 'x', []).temporary).toBe(false);
  });

  it('speaks plain HTTP only to loopback and insecure hosts', () => {
    for (const h of ['localhost', 'localhost:5000', '127.0.0.1:5000', '127.1.2.3', '[::1]:5000']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['reg.example', '10.0.0.1:5000', '128.0.0.1', 'localhost.example']) expect(isLoopbackHost(h)).toBe(false);
    expect(registryBaseUrl('127.0.0.1:5000').href).toBe('http://127.0.0.1:5000/');
    expect(registryBaseUrl('reg.example:5000').href).toBe('https://reg.example:5000/');
    expect(registryBaseUrl('reg.example:5000', ['reg.example:5000']).href).toBe('http://reg.example:5000/');
    expect(registryBaseUrl('docker.io').href).toBe('https://registry-1.docker.io/');
  });
});
