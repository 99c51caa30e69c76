// Platform strings ("linux/amd64/v8") and choosing a manifest from an index by platform.
import { arch } from 'node:os';
import { fail } from '../core/index.js';

/** An OS/architecture(/variant) triple. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

const NODE_TO_OCI: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' };

/** The host's platform in OCI terms. */
export function hostPlatform(): Platform {
  return { os: 'linux', architecture: NODE_TO_OCI[arch()] ?? arch() };
}

/** Parses "os/arch[/variant]". */
export function parsePlatform(s: string): Platform {
  const [os, architecture, variant] = s.split('/');
  if (!os || !architecture) fail('USAGE', `bad --platform ${s}: want os/arch[/variant]`);
  return { os, architecture, variant };
}

/** Formats a platform as "os/arch[/variant]". */
export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/** True when a platform (an image config's os/architecture/variant) is the one wanted; unknown parts do not differ. */
export function platformMatches(have: Partial<Platform>, want: Platform): boolean {
  const same = (a: string | undefined, b: string | undefined): boolean => !a || !b || a === b;
  return same(have.os, want.os) && same(have.architecture, want.architecture) && same(have.variant, want.variant);
}

/** Picks the descriptor matching the platform from index manifests; throws NOT_FOUND listing what exists. */
export function selectPlatform<T extends { platform?: Partial<Platform> }>(manifests: T[], want: Platform, what: string): T {
  const match = manifests.find(
    (m) => m.platform?.os === want.os && m.platform?.architecture === want.architecture && (!want.variant || m.platform?.variant === want.variant),
  );
  if (match) return match;
  const have = manifests.map((m) => (m.platform ? formatPlatform(m.platform as Platform) : 'unknown')).join(', ');
  fail('NOT_FOUND', `${what}: no manifest for ${formatPlatform(want)} (has: ${have || 'none'})`);
}
