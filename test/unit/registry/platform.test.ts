import { describe, expect, it } from 'vitest';
import { isMlbuildError } from '../../../src/core/errors.js';
import { hostPlatform, parsePlatform, selectPlatform } from '../../../src/registry/platform.js';
import type { ImageIndex } from '../../../src/registry/types.js';

const d = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}` as `sha256:${string}`;
const index: ImageIndex = {
  schemaVersion: 2,
  manifests: [
    { mediaType: 'm', digest: d(1), size: 1, platform: { os: 'linux', architecture: 'amd64' } },
    { mediaType: 'm', digest: d(2), size: 1, platform: { os: 'linux', architecture: 'arm', variant: 'v6' } },
    { mediaType: 'm', digest: d(3), size: 1, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
    { mediaType: 'm', digest: d(4), size: 1, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    { mediaType: 'm', digest: d(5), size: 1, platform: { os: 'unknown', architecture: 'unknown' } },
  ],
};

describe('platforms', () => {
  it('parses and normalises', () => {
    expect(parsePlatform('linux/amd64')).toEqual({ os: 'linux', architecture: 'amd64', variant: undefined });
    expect(parsePlatform('linux/aarch64')).toEqual({ os: 'linux', architecture: 'arm64', variant: undefined });
    expect(parsePlatform('linux/arm/v7')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
    expect(hostPlatform().os).toBe('linux');
    for (const bad of ['linux', 'linux/amd64/v1/x', 'linux//amd64', 'li nux/amd64']) {
      expect(() => parsePlatform(bad)).toThrow(expect.objectContaining({ code: 'USAGE' }));
    }
  });

  it('selects by os, architecture and variant', () => {
    expect(selectPlatform(index, parsePlatform('linux/amd64')).digest).toBe(d(1));
    expect(selectPlatform(index, parsePlatform('linux/arm/v7')).digest).toBe(d(3));
    expect(selectPlatform(index, parsePlatform('linux/arm64')).digest).toBe(d(4));
    expect(selectPlatform(index, parsePlatform('linux/arm64/v8')).digest).toBe(d(4));
    try {
      selectPlatform(index, parsePlatform('windows/amd64'));
      expect.unreachable();
    } catch (e) {
      expect(isMlbuildError(e, 'NOT_FOUND')).toBe(true);
    }
  });
});
