// Request paths of the gate: valid OCI routes parse, names and references follow the distribution spec, and path
// tricks are refused with a 400.
import { describe, expect, it } from 'vitest';
import { parseRoute } from '../../../src/server/route.js';
import { GateError } from '../../../src/server/oci-error.js';

const D = `sha256:${'a'.repeat(64)}`;

function status(path: string): number | undefined {
  try {
    parseRoute(path);
    return undefined;
  } catch (e) {
    return e instanceof GateError ? e.status : -1;
  }
}

describe('parseRoute', () => {
  it('parses the API routes', () => {
    expect(parseRoute('/v2/')).toEqual({ kind: 'base' });
    expect(parseRoute('/v2/ns/app/manifests/1.0')).toEqual({ kind: 'manifest', name: 'ns/app', reference: '1.0' });
    expect(parseRoute(`/v2/ns/app/manifests/${D}`)).toMatchObject({ kind: 'manifest', reference: D });
    expect(parseRoute(`/v2/a/blobs/${D}`)).toEqual({ kind: 'blob', name: 'a', digest: D });
    expect(parseRoute(`/v2/a/referrers/${D}?artifactType=x%2Fy`)).toEqual({ kind: 'referrers', name: 'a', digest: D, artifactType: 'x/y' });
    expect(parseRoute('/v2/a/blobs/uploads/')).toEqual({ kind: 'upload', name: 'a', rest: '/' });
    expect(parseRoute('/v2/a/b/tags/list')).toEqual({ kind: 'tags', name: 'a/b' });
    expect(parseRoute('/healthz')).toEqual({ kind: 'health' });
    expect(parseRoute('/other')).toBeUndefined();
  });

  it.each(['/v2/UP/manifests/1', '/v2/a/../b/manifests/1', '/v2/a/%2e%2e/manifests/1', '/v2/a//b/manifests/1', '/v2/a/manifests/-x', '/v2/a/manifests/sha256:12', `/v2/${'a'.repeat(256)}/manifests/1`, '/v2/a\\b/manifests/1'])('refuses %s with 400', (p) => {
    expect(status(p)).toBe(400);
  });
});
