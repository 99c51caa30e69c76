// The single place a thrown value becomes the CLI's answer: one stderr line, JSON with --json, and an exit code.
import { ERROR_EXIT, fsErrorCode, fsReason, isMlbuildError } from '../core/index.js';
import type { Output } from './output.js';

/** Turns anything thrown into one line (and JSON with --json): coded errors and filesystem faults keep their exit code. */
export function reportError(err: unknown, out: Output): number {
  if (isMlbuildError(err)) {
    const code = out.failure({ code: err.code, exitCode: err.exitCode, message: err.message, hint: err.hint });
    if (out.verbose && err.cause) out.error(`cause: ${String((err.cause as Error)?.stack ?? err.cause)}`);
    return code;
  }
  const fsCode = fsErrorCode(err);
  if (fsCode) return out.failure({ code: fsCode, exitCode: ERROR_EXIT[fsCode], message: `${pathOf(err)}${fsReason(err)}` });
  const code = out.failure({ code: 'INTERNAL', exitCode: 70, message: `internal error: ${(err as Error)?.message ?? String(err)}`, hint: out.verbose ? undefined : 'run with -v for details' });
  if (out.verbose) out.error(String((err as Error)?.stack));
  return code;
}

function pathOf(err: unknown): string {
  const path = (err as NodeJS.ErrnoException).path;
  return typeof path === 'string' ? `${path}: ` : '';
}
