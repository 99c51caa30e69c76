// Image strings and digests: whether an image is pinned, and the pinned spelling the patch writes.

const DIGEST_SUFFIX = /@(sha256:[a-f0-9]{64})$/;

/** The digest an image string is pinned to (`…@sha256:<hex>`), if any. */
export function pinnedDigest(image: string): string | undefined {
  return DIGEST_SUFFIX.exec(image.trim())?.[1];
}

/** The image pinned to `digest`, keeping the user's spelling and tag: `repo:tag` → `repo:tag@sha256:…`. */
export function pinImage(image: string, digest: string): string {
  const s = image.trim();
  return DIGEST_SUFFIX.test(s) ? s.replace(DIGEST_SUFFIX, `@${digest}`) : `${s}@${digest}`;
}
