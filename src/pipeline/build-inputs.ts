// The inputs of `mlbuild build` checked before anything is built: the context folder, the -t tags, --push and
// --sbom-out. A bad one is an input error (exit 2) naming it, and nothing is built, tagged or written.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describeError, fail, isMlbuildError } from '../core/index.js';
import type { BuildArgs } from '../docker/index.js';
import { parseReference } from '../registry/index.js';

/** True for a context docker fetches or reads itself: `-`, a URL, a git address (`github.com/…` when no such
 * local folder exists, as the docker CLI decides). */
export function isRemoteContext(context: string): boolean {
  if (context === '-' || /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.startsWith('git@')) return true;
  return context.startsWith('github.com/') && !existsSync(context);
}

function checkContext(context: string): void {
  if (isRemoteContext(context)) return;
  let st;
  try {
    st = statSync(context);
  } catch (err) {
    fail('NOT_FOUND', `build: the build context ${resolve(context)} does not exist (${describeError(err)})`);
  }
  if (!st.isDirectory()) fail('BAD_TARGET', `build: the build context ${resolve(context)} is not a folder`);
}

function checkTag(tag: string): void {
  try {
    if (tag.includes('@')) fail('BAD_TARGET', 'a tag cannot carry a digest');
    parseReference(tag);
  } catch (err) {
    if (!isMlbuildError(err)) throw err;
    fail('BAD_TARGET', `build: invalid -t ${JSON.stringify(tag)}: ${err.message}`);
  }
}

/** Fails unless FILE can be written: an existing writable file, or a new file in a writable folder. */
function checkWritable(file: string, flag: string): void {
  const path = resolve(file);
  let st;
  try {
    st = statSync(path);
  } catch {
    st = undefined;
  }
  try {
    if (st?.isDirectory()) fail('USAGE', `build: ${flag} ${path} is a folder`);
    accessSync(st ? path : dirname(path), constants.W_OK);
    if (!st && !statSync(dirname(path)).isDirectory()) fail('USAGE', `build: ${flag} ${path}: ${dirname(path)} is not a folder`);
  } catch (err) {
    if (isMlbuildError(err)) throw err;
    fail('USAGE', `build: ${flag} ${path} cannot be written: ${describeError(err)}`);
  }
}

/** Checks the build's inputs before the build; throws an exit-2 error naming the first bad one. */
export function checkBuildInputs(args: BuildArgs, opts: { push: boolean; sbomOut?: string }): void {
  checkContext(args.context);
  for (const t of args.tags) checkTag(t);
  if (opts.push && args.tags.length === 0) fail('USAGE', 'build: --push needs at least one -t REPO:TAG');
  if (opts.sbomOut) checkWritable(opts.sbomOut, '--sbom-out');
}
