// Subject binding for `attest image`: which registry manifest an opened image is, checked by its config digest.
import { fail, isMlbuildError } from '../core/errors.js';
import type { Digest } from '../core/digest.js';
import type { Image } from '../image/types.js';
import { isIndex, parseReference, type Descriptor, type ImageReference, type RegistryClient } from '../registry/index.js';

/** What an attestation is bound to: a registry manifest (pushable), or only the image ID (local store only). */
export type ImageSubject =
  | { kind: 'manifest'; name: string; ref: ImageReference; descriptor: Descriptor; configDigest: Digest }
  | { kind: 'image-id'; name: string; digest: Digest; reason: string };

/** The reference part of a daemon or registry target (`docker:REF`, `registry:REF`, bare REF). */
export function targetReference(target: string): string | undefined {
  const m = /^(docker|registry):(.+)$/.exec(target);
  if (m) return m[2];
  return /^(docker-archive|oci-dir|oci):/.test(target) ? undefined : target;
}

function tryParse(ref: string): ImageReference | undefined {
  try {
    return parseReference(ref);
  } catch {
    return undefined;
  }
}

/** The manifest `ref` resolves to in the registry (platform-narrowed), or undefined when it does not exist there. */
async function registryManifest(client: RegistryClient, ref: ImageReference, platform?: string): Promise<{ descriptor: Descriptor; config: Digest } | undefined> {
  try {
    const r = await client.resolve(ref, { platform });
    if (isIndex(r.manifest) || !r.manifest.config) fail('UNSUPPORTED', `${ref}: not an image manifest (${r.mediaType})`);
    return { descriptor: { mediaType: r.mediaType, digest: r.digest, size: r.size }, config: r.manifest.config.digest };
  } catch (e) {
    if (isMlbuildError(e, 'NOT_FOUND')) return undefined;
    throw e;
  }
}

/**
 * Finds the registry manifest of an opened image: a registry image is its own manifest; a daemon image is looked
 * up by its RepoDigests (then by the target's tag) and accepted only when the manifest's config digest equals the
 * scanned image ID (DIGEST_MISMATCH otherwise). An image the registry never saw is bound to its image ID.
 */
export async function resolveImageSubject(client: RegistryClient, image: Image, target: string, platform?: string): Promise<ImageSubject> {
  const refText = targetReference(target);
  const local = (reason: string): ImageSubject => ({
    kind: 'image-id',
    name: image.name ?? refText ?? target,
    digest: (image.scheme === 'oci-dir' && image.manifestDigest ? image.manifestDigest : image.imageId) as Digest,
    reason,
  });
  if (image.scheme === 'registry' && refText && image.manifestDigest) {
    const ref = parseReference(refText).withDigest(image.manifestDigest as Digest);
    const found = await registryManifest(client, ref);
    if (!found) fail('NOT_FOUND', `${ref} vanished from the registry while it was scanned`);
    if (found.config !== image.imageId) fail('DIGEST_MISMATCH', `${ref}: config ${found.config} is not the scanned image ${image.imageId}`);
    return { kind: 'manifest', name: ref.repository, ref, descriptor: found.descriptor, configDigest: found.config };
  }
  if (image.scheme !== 'docker') return local(`${image.scheme} images are not in a registry`);
  const wanted = refText ? tryParse(refText) : undefined;
  const digests = (image.repoDigests ?? []).map(tryParse).filter((r): r is ImageReference => r !== undefined && r.digest !== undefined);
  // The target's own repository first, then the other repositories the image was pushed to or pulled from.
  digests.sort((a, b) => Number(b.repository === wanted?.repository) - Number(a.repository === wanted?.repository));
  // The target's tag goes right after its repository's digests: Podman lists its local manifest digest under every
  // name of the image, not the digest the registry computed on push, so only the tag finds the pushed manifest.
  const own = digests.filter((d) => d.repository === wanted?.repository);
  const candidates: ImageReference[] = [...own, ...(wanted && !wanted.digest && own.length > 0 ? [wanted] : []), ...digests.slice(own.length)];
  if (candidates.length === 0) return local('the image was never pushed (no RepoDigests)');
  const mismatches: string[] = [];
  for (const ref of candidates) {
    const found = await registryManifest(client, ref, platform);
    if (!found) continue;
    if (found.config !== image.imageId) {
      mismatches.push(`${ref} has config ${found.config}`);
      continue;
    }
    const pinned = ref.withDigest(found.descriptor.digest);
    return { kind: 'manifest', name: ref.repository, ref: pinned, descriptor: found.descriptor, configDigest: found.config };
  }
  if (mismatches.length > 0) {
    fail('DIGEST_MISMATCH', `the registry manifest is not the scanned image ${image.imageId}: ${mismatches.join('; ')}`, {
      hint: 'push the image again, then attest it',
    });
  }
  return local('no registry holds the image any more');
}
