// JSON parsing of image metadata with coded errors naming the document.
import { fail } from '../core/index.js';

/** Parses JSON or throws CORRUPT_INPUT naming `what`. */
export function parseJson<T = unknown>(data: Buffer | string, what: string): T {
  try {
    return JSON.parse(typeof data === 'string' ? data : data.toString('utf8')) as T;
  } catch {
    fail('CORRUPT_INPUT', `${what} is not valid JSON`);
  }
}

/** Checks that a parsed image config has rootfs.diff_ids. */
export function checkConfig(config: unknown, what: string): void {
  const c = config as { rootfs?: { diff_ids?: unknown } } | null;
  if (!c || typeof c !== 'object' || !Array.isArray(c.rootfs?.diff_ids)) {
    fail('CORRUPT_INPUT', `${what}: image config without rootfs.diff_ids`);
  }
}
