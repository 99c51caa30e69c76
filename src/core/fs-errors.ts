// Filesystem faults as coded errors: a path the user gave that cannot work is USAGE (exit 2); a refusal by the
// machine (permissions, read-only or full disk) is ENVIRONMENT (exit 3); and folders are made without Node's
// recursive mkdir, which spins forever under /proc.
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { describeError, fail, isMlbuildError, type ErrorCode } from './errors.js';

const PATH_FAULTS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'name too long',
  EISDIR: 'is a folder',
  EEXIST: 'exists and is not a folder',
  EINVAL: 'invalid path',
};

const MACHINE_FAULTS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EBUSY: 'resource busy',
};

/** The error code of a Node system error on a user-given path (USAGE or ENVIRONMENT), undefined for other errors. */
export function fsErrorCode(e: unknown): ErrorCode | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string') return undefined;
  if (code in PATH_FAULTS) return 'USAGE';
  if (code in MACHINE_FAULTS) return 'ENVIRONMENT';
  return undefined;
}

/** A short reason for a system error ("permission denied (EACCES)"). */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const text = typeof code === 'string' ? (PATH_FAULTS[code] ?? MACHINE_FAULTS[code]) : undefined;
  return text ? `${text} (${code})` : describeError(e);
}

/** Throws a coded one-line error for a filesystem fault: `what` names the operation and path. */
export function failFs(e: unknown, what: string): never {
  if (isMlbuildError(e)) throw e;
  fail(fsErrorCode(e) ?? 'ENVIRONMENT', `${what}: ${fsReason(e)}`, { cause: e });
}

/** Makes sure `dir` is a folder, creating it and missing parents one by one; `what` names it in errors. */
export async function ensureDir(dir: string, what: string): Promise<void> {
  const missing: string[] = [];
  for (let cur = resolve(dir); ; ) {
    try {
      if ((await stat(cur)).isDirectory()) break;
      fail('USAGE', cur === resolve(dir) ? `${what} ${dir} is not a folder` : `${what} ${dir}: ${cur} is not a folder`);
    } catch (e) {
      // Missing, or under a file: walk up to the part that exists, to name it.
      if (!['ENOENT', 'ENOTDIR'].includes((e as NodeJS.ErrnoException).code ?? '')) failFs(e, `${what} ${dir}`);
      missing.unshift(cur);
      const up = dirname(cur);
      if (up === cur) break;
      cur = up;
    }
  }
  for (const d of missing) {
    try {
      await mkdir(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && (await stat(d).catch(() => undefined))?.isDirectory()) continue;
      failFs(e, `cannot create ${what} ${dir}`);
    }
  }
}
