import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { run } from './exec.js';

/** Fixed author, committer and date, so that the same files always give the same commit id. */
export const GIT_TEST_ENV: NodeJS.ProcessEnv = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'mlbuild test',
  GIT_AUTHOR_EMAIL: 'test@mlbuild.invalid',
  GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z',
  GIT_COMMITTER_NAME: 'mlbuild test',
  GIT_COMMITTER_EMAIL: 'test@mlbuild.invalid',
  GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z',
};

/** File contents keyed by repository-relative path ('a/b.txt'); strings are written as UTF-8. */
export type FileTree = Record<string, Buffer | string>;

/** Runs git in DIR with the fixed test identity; throws on failure; returns trimmed stdout. */
export async function git(dir: string, args: string[]): Promise<string> {
  const r = await run('git', args, { cwd: dir, env: GIT_TEST_ENV, check: true });
  return r.stdout.trim();
}

/** Writes FILES under DIR, creating parent folders. */
export async function writeTree(dir: string, files: FileTree): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const target = join(dir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

/** Writes FILES into the repository at DIR and commits them all; returns the new commit id. */
export async function commitFiles(dir: string, files: FileTree, message = 'update'): Promise<string> {
  await writeTree(dir, files);
  await git(dir, ['add', '-A']);
  await git(dir, ['-c', 'commit.gpgsign=false', 'commit', '-q', '--no-verify', '--allow-empty', '-m', message]);
  return git(dir, ['rev-parse', 'HEAD']);
}

/** Creates repository ROOT/NAME (e.g. 'org/model', branch main) holding FILES in one reproducible commit. */
export async function makeModelRepo(root: string, name: string, files: FileTree): Promise<{ dir: string; commit: string }> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  await git(dir, ['init', '-q', '-b', 'main']);
  const commit = await commitFiles(dir, files, `add ${name}`);
  return { dir, commit };
}
