import { describe, it, expect } from 'vitest';
import { LayerScanner } from '../../../src/image/layer-scan.js';
import { TarParser } from '../../../src/image/tar-parser.js';
import { MergedTree } from '../../../src/image/merge.js';
import { HiddenIndex } from '../../../src/image/hidden.js';
import { makeTar } from '../../helpers/tar-writer.js';
import { createHash } from 'node:crypto';

function scan(tar: Buffer, chunk = 7919, hidden?: HiddenIndex) {
  const scanner = new LayerScanner({ hidden: hidden ? (p) => hidden.hides(p) : undefined });
  const parser = new TarParser(scanner);
  for (let i = 0; i < tar.length; i += chunk) parser.write(tar.subarray(i, i + chunk));
  parser.end();
  return scanner;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('tar scanning', () => {
  it('hashes files across chunk boundaries, whatever the chunk size', () => {
    const big = 'x'.repeat(100_000);
    const tar = makeTar([{ name: 'a/', type: 'dir' }, { name: 'a/big', content: big }, { name: 'a/small', content: 'hi' }]);
    for (const chunk of [1, 511, 512, 513, 65536]) {
      const s = scan(tar, chunk).scan;
      expect(s.entries.find((e) => e.path === 'a/big')?.sha256).toBe(sha(big));
      expect(s.entries.find((e) => e.path === 'a/small')?.sha256).toBe(sha('hi'));
    }
  });

  it('reads PAX long names', () => {
    const name = `${'d'.repeat(120)}/file.txt`;
    const s = scan(makeTar([{ name, content: 'x', pax: true }])).scan;
    expect(s.entries.map((e) => e.path)).toEqual([name]);
  });

  it('skips hostile entries and reports them as unknowns', () => {
    const tar = makeTar([
      { name: '../escape', content: 'x' },
      { name: '/abs/path', content: 'x' },
      { name: 'a/../../b', content: 'x' },
      { name: 'dev/sda', type: 'block' },
      { name: 'dev/tty', type: 'char' },
      { name: 'fifo', type: 'fifo' },
      { name: 'hl', type: 'hardlink', linkname: 'missing' },
      { name: 'ok', content: 'fine' },
    ]);
    const s = scan(tar).scan;
    expect(s.entries.map((e) => e.path)).toEqual(['ok']);
    expect(s.unknowns.map((u) => u.path)).toEqual(['../escape', '/abs/path', 'a/../../b', 'dev/sda', 'dev/tty', 'fifo', 'hl']);
  });

  it('stops at an absurd size instead of hanging, and reports it', () => {
    const tar = makeTar([{ name: 'ok', content: 'a' }, { name: 'huge', content: 'b', sizeField: 2 ** 60 }, { name: 'after', content: 'c' }]);
    const s = scan(tar).scan;
    expect(s.entries.map((e) => e.path)).toEqual(['ok']);
    expect(s.unknowns[0].reason).toMatch(/absurd size/);
  });

  it('stops at a size beyond the declared stream length', () => {
    const tar = makeTar([{ name: 'big', content: 'b', sizeField: 10_000_000 }]);
    const scanner = new LayerScanner();
    const parser = new TarParser(scanner, tar.length);
    parser.write(tar);
    parser.end();
    expect(scanner.scan.unknowns[0].reason).toMatch(/absurd size/);
  });

  it('reports a truncated entry', () => {
    const tar = makeTar([{ name: 'f', content: 'x'.repeat(5000) }], { noEnd: true }).subarray(0, 2000);
    const s = scan(tar).scan;
    expect(s.unknowns.some((u) => /truncated/.test(u.reason))).toBe(true);
  });

  it('flags a bad header checksum as fatal', () => {
    const scanner = scan(makeTar([{ name: 'f', content: 'x', badChecksum: true }]));
    expect(scanner.fatal).toMatch(/checksum/);
  });

  it('gives hard links the content digest of their target', () => {
    const s = scan(makeTar([{ name: 'a', content: 'same' }, { name: 'b', type: 'hardlink', linkname: 'a' }])).scan;
    expect(s.entries.find((e) => e.path === 'b')?.sha256).toBe(sha('same'));
  });
});

describe('merged tree', () => {
  const lower = makeTar([
    { name: 'etc/', type: 'dir' },
    { name: 'etc/keep', content: 'k' },
    { name: 'etc/gone', content: 'g' },
    { name: 'opq/', type: 'dir' },
    { name: 'opq/old', content: 'o' },
    { name: 'swap', content: 'file' },
    { name: 'link', type: 'symlink', linkname: '/etc/keep' },
    { name: 'loop1', type: 'symlink', linkname: 'loop2' },
    { name: 'loop2', type: 'symlink', linkname: 'loop1' },
    { name: 'escape', type: 'symlink', linkname: '../../../etc/keep' },
  ]);
  const upper = makeTar([
    { name: 'etc/.wh.gone', content: '' },
    { name: 'opq/.wh..wh..opq', content: '' },
    { name: 'opq/new', content: 'n' },
    { name: 'swap/', type: 'dir' },
    { name: 'swap/inner', content: 'i' },
  ]);

  it('honours whiteouts, opaque dirs and type changes; lower hidden files are not hashed', () => {
    const up = scan(upper).scan;
    const hidden = new HiddenIndex();
    hidden.add(up);
    const low = scan(lower, 4096, hidden).scan;
    expect(low.unhashed.sort()).toEqual(['etc/gone', 'opq/old', 'swap']);
    const tree = MergedTree.fromScans([low, up]);
    const paths = [...tree.all()].map((f) => f.path);
    expect(paths).toContain('etc/keep');
    expect(paths).not.toContain('etc/gone');
    expect(paths).not.toContain('opq/old');
    expect(paths).toContain('opq/new');
    expect(tree.get('swap')?.type).toBe('dir');
    expect(tree.get('swap/inner')?.layer).toBe(1);
    expect(tree.get('etc/keep')?.layer).toBe(0);
  });

  it('resolves symlinks inside the root only and stops on loops', () => {
    const tree = MergedTree.fromScans([scan(lower).scan]);
    expect(tree.resolve('link')?.path).toBe('etc/keep');
    expect(tree.resolve('loop1')).toBeUndefined();
    expect(tree.resolve('escape')).toBeUndefined();
  });
});
