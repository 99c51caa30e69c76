// Git LFS pointer files: recognised by their first line, never hashed as if they were the weights.
import { open } from 'node:fs/promises';

/** The largest file that can be an LFS pointer (the spec caps pointers at 1024 bytes). */
export const LFS_POINTER_MAX = 1024;
const FIRST_LINE = 'version https://git-lfs.github.com/spec/v1\n';

/** What a pointer names: the sha256 (hex) and size of the real content. */
export interface LfsPointer {
  oid: string;
  size: number;
}

/** Parses pointer text; undefined when it is not a valid pointer. */
export function parseLfsPointer(text: string): LfsPointer | undefined {
  if (!text.startsWith(FIRST_LINE)) return undefined;
  const oid = /^oid sha256:([a-f0-9]{64})$/m.exec(text);
  const size = /^size (\d+)$/m.exec(text);
  if (!oid || !size) return undefined;
  return { oid: oid[1], size: Number(size[1]) };
}

/** Reads a small file and returns its pointer, or undefined (files over 1024 bytes are never read). */
export async function readLfsPointer(path: string, size: number): Promise<LfsPointer | undefined> {
  if (size > LFS_POINTER_MAX || size < FIRST_LINE.length) return undefined;
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(size);
    const { bytesRead } = await fh.read(buf, 0, size, 0);
    return parseLfsPointer(buf.subarray(0, bytesRead).toString('utf8'));
  } finally {
    await fh.close();
  }
}
