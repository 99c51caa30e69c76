// Opens `registry:REF` images through the OCI client (wired once the registry module lands).
import { fail } from '../core/index.js';
import type { Image } from '../image/types.js';
import type { Platform } from '../image/platform.js';

/** Opens an image in a registry: manifest, config and layer streams verified against their digests. */
export async function openRegistryImage(ref: string, _target: string, _platform?: Platform): Promise<Image> {
  fail('UNSUPPORTED', `registry targets are not available yet (${ref})`);
}
