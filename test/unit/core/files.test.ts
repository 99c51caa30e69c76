import { describe, it, expect } from 'vitest';
import { mkdtemp, readFile, readdir, rm, symlink, lstat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../src/core/files.js';

describe('writeFileAtomic', () => {
  it('writes through a temp file and leaves no temp behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlbuild-files-'));
    await writeFileAtomic(join(dir, 'a.json'), 'one');
    await writeFileAtomic(join(dir, 'a.json'), 'two');
    expect(await readFile(join(dir, 'a.json'), 'utf8')).toBe('two');
    expect(await readdir(dir)).toEqual(['a.json']);
    await rm(dir, { recursive: true });
  });

  it('never replaces a device such as /dev/null', async () => {
    await writeFileAtomic('/dev/null', 'discarded');
    expect((await lstat('/dev/null')).isCharacterDevice()).toBe(true);
  });

  it('follows a symlink instead of replacing it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlbuild-files-'));
    await writeFileAtomic(join(dir, 'real'), 'x');
    await symlink(join(dir, 'real'), join(dir, 'link'));
    await writeFileAtomic(join(dir, 'link'), 'y');
    expect((await lstat(join(dir, 'link'))).isSymbolicLink()).toBe(true);
    expect(await readFile(join(dir, 'real'), 'utf8')).toBe('y');
    await rm(dir, { recursive: true });
  });
});
