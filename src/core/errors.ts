// Coded errors: every expected failure carries a code from a fixed list; the CLI maps codes to exit codes.

/** The fixed list of error codes, grouped by the exit code they map to. */
export const ERROR_EXIT = {
  // 1: verification or policy failed
  VERIFY_FAILED: 1,
  POLICY_DENIED: 1,
  // 2: usage or input error
  USAGE: 2,
  BAD_TARGET: 2,
  NOT_FOUND: 2,
  DIGEST_MISMATCH: 2,
  CORRUPT_INPUT: 2,
  UNSUPPORTED: 2,
  BAD_POLICY: 2,
  BAD_KEY: 2,
  BAD_BUNDLE: 2,
  BAD_DOCKERFILE: 2,
  EXISTS: 2,
  // 3: environment error
  ENGINE_UNAVAILABLE: 3,
  REGISTRY_UNREACHABLE: 3,
  REGISTRY_ERROR: 3,
  ENVIRONMENT: 3,
  INTERRUPTED: 130,
} as const;

export type ErrorCode = keyof typeof ERROR_EXIT;

/** The one error class of mlbuild: a fixed code, a one-line message, an optional cause and hint. */
export class MlbuildError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  /** True when retrying the same operation later may succeed (network, 5xx). */
  readonly temporary: boolean;

  constructor(code: ErrorCode, message: string, opts: { cause?: unknown; hint?: string; temporary?: boolean } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'MlbuildError';
    this.code = code;
    this.hint = opts.hint;
    this.temporary = opts.temporary ?? false;
  }

  /** The process exit code this error maps to. */
  get exitCode(): number {
    return ERROR_EXIT[this.code];
  }
}

/** Shorthand constructor used at module borders. */
export function fail(code: ErrorCode, message: string, opts?: { cause?: unknown; hint?: string; temporary?: boolean }): never {
  throw new MlbuildError(code, message, opts);
}

/** True when `e` is an MlbuildError, optionally with the given code. */
export function isMlbuildError(e: unknown, code?: ErrorCode): e is MlbuildError {
  return e instanceof MlbuildError && (code === undefined || e.code === code);
}

/** A short description of any thrown value, for wrapping low-level errors at a module border. */
export function describeError(e: unknown): string {
  if (e instanceof Error) {
    const sys = e as NodeJS.ErrnoException;
    if (sys.code && typeof sys.code === 'string' && !e.message.includes(sys.code)) return `${e.message} (${sys.code})`;
    return e.message;
  }
  return String(e);
}
