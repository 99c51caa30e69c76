// Opens an image target by scheme: docker:, docker-archive:, oci-dir:, registry:, or a bare reference.
import { fail } from '../core/index.js';
import { openDockerArchive } from './sources/docker-archive.js';
import { openOciDir } from './sources/oci-dir.js';
import { openDaemonImage, daemonHasImage } from './sources/daemon.js';
import { formatPlatform, platformMatches, type Platform } from './platform.js';
import type { Image } from './types.js';
import type { DockerEngine } from '../docker/engine.js';

/** Opens a registry image (sources/registry.ts over the OCI client, with the wiring's client options). */
export type RegistryOpener = (ref: string, target: string, platform?: Platform) => Promise<Image>;

/** Options for opening a target. */
export interface OpenOptions {
  platform?: Platform;
  /** The Docker engine for `docker:` and bare targets, made on first use (without one, bare targets go to the registry). */
  engine?: () => DockerEngine;
  openRegistry?: RegistryOpener;
}

function splitSuffix(rest: string): [string, string | undefined] {
  // PATH:ref — only when the part after the last colon has no slash (so "C:/x" style paths are not split).
  const i = rest.lastIndexOf(':');
  if (i > 0 && !rest.slice(i + 1).includes('/')) return [rest.slice(0, i), rest.slice(i + 1)];
  return [rest, undefined];
}

/**
 * Opens TARGET (`docker:REF`, `docker-archive:FILE[:TAG]`, `oci-dir:PATH[:REF]`, `registry:REF`, bare REF); with a
 * platform, an image of another platform is a BAD_TARGET naming both (never a silent substitute).
 */
export async function openImage(target: string, opts: OpenOptions = {}): Promise<Image> {
  const image = await openByScheme(target, opts);
  const want = opts.platform;
  const have = { os: image.config.os, architecture: image.config.architecture, variant: image.config.variant };
  if (want && !platformMatches(have, want)) {
    await image.close();
    fail('BAD_TARGET', `${target} is ${formatPlatform(have as Platform)}, not the ${formatPlatform(want)} asked for with --platform`);
  }
  return image;
}

async function openByScheme(target: string, opts: OpenOptions): Promise<Image> {
  const colon = target.indexOf(':');
  const scheme = colon > 0 ? target.slice(0, colon) : '';
  const rest = target.slice(colon + 1);
  switch (scheme) {
    case 'docker':
      if (!opts.engine) fail('ENVIRONMENT', `${target}: no Docker engine was given`);
      return openDaemonImage(rest, target, opts.engine());
    case 'docker-archive': {
      const [file, tag] = rest.includes(':') && !/^[^:]+\.tar$/.test(rest) ? splitTagged(rest) : [rest, undefined];
      return openDockerArchive(file, target, tag);
    }
    case 'oci-dir':
    case 'oci': {
      const [dir, ref] = splitSuffix(rest);
      return openOciDir(dir, target, ref, opts.platform);
    }
    case 'registry':
      if (!opts.openRegistry) fail('UNSUPPORTED', 'registry targets are not available');
      return opts.openRegistry(rest, target, opts.platform);
    default:
      if (target === '') fail('BAD_TARGET', 'no image target given');
      if (opts.engine) {
        const engine = await Promise.resolve().then(opts.engine).catch(() => undefined);
        if (engine && (await daemonHasImage(target, engine).catch(() => false))) return openDaemonImage(target, target, engine);
      }
      if (!opts.openRegistry) fail('NOT_FOUND', `image ${target} not found in the Docker engine`);
      return opts.openRegistry(target, target, opts.platform);
  }
}

function splitTagged(rest: string): [string, string | undefined] {
  // docker-archive:FILE.tar:repo:tag → FILE.tar, repo:tag
  const m = /^(.+?\.tar):(.+)$/.exec(rest);
  return m ? [m[1], m[2]] : [rest, undefined];
}
