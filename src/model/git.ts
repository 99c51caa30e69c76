// The real `git`, run without a shell and without prompts: clone at a revision, read remote URL and HEAD, LFS pull.
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { describeError, fail, MlbuildError } from '../core/errors.js';
import { redactUrl } from './source-spec.js';

/** Environment for every git call: never prompt for credentials, no pager, LFS content fetched only on request. */
export const GIT_ENV: NodeJS.ProcessEnv = { GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', GIT_LFS_SKIP_SMUDGE: '1', GIT_ASKPASS: 'echo' };

/** Runs git in `cwd`; ENVIRONMENT when git is missing, else the given code with git's last stderr line. */
export function runGit(args: string[], cwd: string, code: 'BAD_TARGET' | 'NOT_FOUND' | 'ENVIRONMENT' = 'BAD_TARGET'): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) {
        resolve(stdout.trim());
        return;
      }
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new MlbuildError('ENVIRONMENT', 'git is not installed (needed for git: model sources)', { cause: err }));
        return;
      }
      const last = stderr.trim().split('\n').filter(Boolean).pop() ?? describeError(err);
      reject(new MlbuildError(code, `git ${args[0]}: ${redactUrl(last)}`, { cause: err }));
    });
  });
}

/** Clones `url` into `dir` (which must be empty) and checks out `rev` (branch, tag or commit); returns the full commit. */
export async function cloneAt(url: string, dir: string, rev?: string): Promise<string> {
  await runGit(['clone', '--quiet', '--no-checkout', '--', url, dir], tmpdir()).catch((e: unknown) => {
    if (e instanceof MlbuildError) fail(e.code === 'BAD_TARGET' && unreachable(e.message) ? 'ENVIRONMENT' : e.code, `cannot clone ${redactUrl(url)}: ${e.message}`, { cause: e });
    throw e;
  });
  const target = rev ?? 'HEAD';
  const commit = await resolveRev(dir, target).catch(() => fail('BAD_TARGET', `revision ${target} not found in ${redactUrl(url)}`));
  await runGit(['-c', 'advice.detachedHead=false', 'checkout', '--quiet', '--detach', commit], dir);
  return commit;
}

// git's words for a host it could not reach (DNS, refused, timed out, TLS, proxy, 5xx): an environment error, not bad input.
const UNREACHABLE = /could not resolve (host|proxy)|failed to connect|couldn't connect|connection (refused|timed out|reset)|operation timed out|ssl certificate problem|ssl_connect|gnutls_handshake|tls connect|returned error: 5\d\d|unable to access .*: (recv|send) failure|network is unreachable|no route to host/i;

function unreachable(message: string): boolean {
  return UNREACHABLE.test(message);
}

async function resolveRev(dir: string, rev: string): Promise<string> {
  for (const candidate of [`${rev}^{commit}`, `origin/${rev}^{commit}`]) {
    try {
      return (await runGit(['rev-parse', '--verify', '--quiet', candidate], dir)).toLowerCase();
    } catch {
      // try the next spelling
    }
  }
  throw new Error('unresolved');
}

/** An existing clone's `origin` URL (or its first remote) and HEAD commit; BAD_TARGET when `dir` is not a clone. */
export async function cloneFacts(dir: string): Promise<{ url?: string; commit: string }> {
  const commit = await runGit(['rev-parse', '--verify', 'HEAD'], dir).catch((e: unknown) => {
    fail('BAD_TARGET', `${dir} is not a git clone with a commit: ${describeError(e)}`, { cause: e });
  });
  let url: string | undefined;
  try {
    url = await runGit(['remote', 'get-url', 'origin'], dir);
  } catch {
    const remotes = (await runGit(['remote'], dir).catch(() => '')).split('\n').filter(Boolean);
    if (remotes[0]) url = await runGit(['remote', 'get-url', remotes[0]], dir).catch(() => undefined);
  }
  return { url: url || undefined, commit: commit.toLowerCase() };
}

/** True when `git lfs` is installed. */
export async function hasGitLfs(): Promise<boolean> {
  try {
    await runGit(['lfs', 'version'], process.cwd(), 'ENVIRONMENT');
    return true;
  } catch {
    return false;
  }
}

/** Fetches LFS content for a clone; returns an error message instead of throwing (pointers are then used). */
export async function lfsPull(dir: string): Promise<string | undefined> {
  try {
    await runGit(['lfs', 'pull'], dir, 'ENVIRONMENT');
    return undefined;
  } catch (e) {
    return describeError(e);
  }
}
