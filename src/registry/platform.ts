// Platform strings (`linux/amd64[/variant]`) and choosing one manifest out of an index.
import { arch } from 'node:os';
import { fail } from '../core/errors.js';
import type { Descriptor, ImageIndex, Platform } from './types.js';

/** A wanted platform: os, architecture and optional variant. */
export interface PlatformSpec {
  os: string;
  architecture: string;
  variant?: string;
}

const ARCH: Record<string, [string, string?]> = {
  x64: ['amd64'],
  arm64: ['arm64', 'v8'],
  arm: ['arm', 'v7'],
  ia32: ['386'],
  ppc64: ['ppc64le'],
  s390x: ['s390x'],
  riscv64: ['riscv64'],
};

/** Parses `os/arch[/variant]` as `docker --platform` takes it. */
export function parsePlatform(s: string): PlatformSpec {
  const parts = s.trim().toLowerCase().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^[a-z0-9._-]+$/.test(p))) {
    fail('USAGE', `invalid platform "${s}" (want os/arch[/variant], e.g. linux/amd64)`);
  }
  const [os = '', architecture = '', variant] = parts;
  return normalizePlatform({ os, architecture, variant });
}

/** Normalises aliases: aarch64 → arm64, x86_64 → amd64, arm64/v8 → arm64 without variant. */
export function normalizePlatform(p: PlatformSpec): PlatformSpec {
  let architecture = p.architecture;
  let variant = p.variant || undefined;
  if (architecture === 'x86_64' || architecture === 'x86-64') architecture = 'amd64';
  if (architecture === 'aarch64') architecture = 'arm64';
  if (architecture === 'arm64' && variant === 'v8') variant = undefined;
  if (architecture === 'armhf') [architecture, variant] = ['arm', 'v7'];
  return { os: p.os, architecture, variant };
}

/** The platform images run on here: always linux, as docker does, with this machine's architecture. */
export function hostPlatform(): PlatformSpec {
  const [architecture, variant] = ARCH[arch()] ?? [arch()];
  return normalizePlatform({ os: 'linux', architecture, variant });
}

/** Formats a platform as `os/arch[/variant]`. */
export function formatPlatform(p: PlatformSpec | Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

function matches(entry: Platform, want: PlatformSpec, strictVariant: boolean): boolean {
  const got = normalizePlatform(entry);
  if (got.os !== want.os || got.architecture !== want.architecture) return false;
  if (want.variant) return got.variant === want.variant || (!strictVariant && got.variant === undefined);
  return true;
}

/** Picks the index entry for a platform: exact variant first, then an entry without variant; NOT_FOUND otherwise. */
export function selectPlatform(index: ImageIndex, want: PlatformSpec = hostPlatform()): Descriptor {
  const w = normalizePlatform(want);
  const candidates = index.manifests.filter((d) => d.platform && d.platform.os !== 'unknown');
  const found =
    candidates.find((d) => matches(d.platform as Platform, w, true)) ??
    candidates.find((d) => matches(d.platform as Platform, w, false));
  if (!found) {
    const have = candidates.map((d) => formatPlatform(d.platform as Platform)).join(', ') || 'none';
    fail('NOT_FOUND', `no manifest for platform ${formatPlatform(w)} in the index (has: ${have})`);
  }
  return found;
}
