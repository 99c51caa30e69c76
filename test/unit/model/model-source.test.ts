import { createHash, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashFiles, parseLfsPointer, parseModelSource, pathMatcher, scanModel } from '../../../src/model/index.js';
import { withTempDir } from '../../helpers/tmp.js';

describe('model sources', () => {
  it('parses the four schemes and revisions', () => {
    expect(parseModelSource('git:https://huggingface.co/org/m@main')).toEqual({ kind: 'git-url', url: 'https://huggingface.co/org/m', rev: 'main' });
    expect(parseModelSource('git:https://user@host/org/m')).toEqual({ kind: 'git-url', url: 'https://user@host/org/m' });
    expect(parseModelSource('git:git@github.com:org/m.git@v1')).toEqual({ kind: 'git-url', url: 'git@github.com:org/m.git', rev: 'v1' });
    expect(parseModelSource('git:./clone')).toEqual({ kind: 'git-path', path: './clone' });
    expect(parseModelSource('dir:/m')).toEqual({ kind: 'dir', path: '/m' });
    expect(parseModelSource('file:m.gguf')).toEqual({ kind: 'file', path: 'm.gguf' });
    expect(() => parseModelSource('https://x/y')).toThrow(/needs a scheme/);
  });

  it('recognises LFS pointers only in their exact form', () => {
    const oid = 'ab'.repeat(32);
    expect(parseLfsPointer(`version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize 42\n`)).toEqual({ oid, size: 42 });
    expect(parseLfsPointer(`version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\n`)).toBeUndefined();
    expect(parseLfsPointer('hello')).toBeUndefined();
  });

  it('filters paths with include (folders take all below) and exclude', () => {
    const take = pathMatcher({ include: ['onnx/', '*.json'], exclude: ['onnx/*.tmp'], always: ['README.md'] });
    expect(['onnx/model.onnx', 'config.json', 'README.md', 'onnx/x.tmp', 'model.safetensors', 'sub/config.json'].filter(take)).toEqual(['onnx/model.onnx', 'config.json', 'README.md']);
  });

  it('lets exclude win over the always-taken model card', () => {
    const take = pathMatcher({ exclude: ['README.md'], always: ['README.md'] });
    expect(['README.md', 'model.safetensors'].filter(take)).toEqual(['model.safetensors']);
  });
});

describe('hashing', () => {
  it('hashes files in parallel exactly as a single SHA-256 pass does', async () => {
    await withTempDir(async (dir) => {
      const files = await Promise.all([0, 1, 200_000, 3 * 1024 * 1024 + 7].map(async (n, i) => {
        const data = randomBytes(n);
        const path = join(dir, `f${i}`);
        await writeFile(path, data);
        return { path, size: n, digest: createHash('sha256').update(data).digest('hex') };
      }));
      const got = await hashFiles(files, { workers: 2 });
      for (const f of files) expect(got.get(f.path)).toEqual({ digest: f.digest, size: f.size });
    });
  });

  it('scans a folder: ignored paths skipped, LFS pointers set aside, symlinks reported', async () => {
    await withTempDir(async (dir) => {
      await mkdir(join(dir, '.git'));
      await writeFile(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
      await writeFile(join(dir, '.gitattributes'), '*.bin filter=lfs\n');
      await writeFile(join(dir, 'a.txt'), 'a');
      await writeFile(join(dir, 'w.bin'), `version https://git-lfs.github.com/spec/v1\noid sha256:${'c'.repeat(64)}\nsize 9\n`);
      const { symlink } = await import('node:fs/promises');
      await symlink('a.txt', join(dir, 'l.txt'));
      const scan = await scanModel(dir);
      expect(scan.files.map((f) => [f.path, f.size, Boolean(f.lfsPointer)])).toEqual([
        ['a.txt', 1, false],
        ['w.bin', 9, true],
      ]);
      expect(scan.problems).toEqual([{ kind: 'symlink', path: 'l.txt' }]);
      expect(scan.lfs).toEqual([{ path: 'w.bin', oid: 'c'.repeat(64), size: 9 }]);
    });
  });
});
