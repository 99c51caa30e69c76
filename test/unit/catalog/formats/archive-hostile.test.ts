// Hostile and damaged archives: each becomes findings, warnings or an `unopened` reason; the probe never throws.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveProbe } from '../../../../src/catalog/formats/archive.js';
import { makeTempDir, type TempDir } from '../../../helpers/tmp.js';
import { member, probeBytes, probeFile, py, sh, SNIFF } from './archive-fixtures.js';
import { pickleFile, rng } from './fixtures.js';

let tmp: TempDir;
let dir: string;
const file = (n: string): Buffer => readFileSync(join(dir, n));

beforeAll(async () => {
  tmp = await makeTempDir('archive-hostile');
  dir = tmp.path;
  py(dir, `
def zw(name, entries, method=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(name, 'w', method) as z:
        for n, d in entries: z.writestr(n, d)
zw('two.zip', [('aaaa.safetensors', SAFETENSORS), ('bbbb.txt', b'hello ' * 100)])
zw('other.zip', [('cccc.pkl', EVIL_PICKLE)])
zw('bz.zip', [('w.safetensors', SAFETENSORS)], zipfile.ZIP_BZIP2)
zw('lz.zip', [('w.safetensors', SAFETENSORS)], zipfile.ZIP_LZMA)
zw('names.zip', [('../escape.safetensors', SAFETENSORS), ('/abs/w.pkl', EVIL_PICKLE), ('ok.txt', b'ok')])
zw('bomb.zip', [('zeros.bin', bytes(16 * 1024 * 1024))])
zw('many.zip', [('f%d.txt' % i, b'x') for i in range(30)])
# stored member with a data descriptor: written to a pipe
buf = io.BytesIO()
class Pipe(io.RawIOBase):
    def writable(self): return True
    def write(self, b): buf.write(b); return len(b)
with zipfile.ZipFile(Pipe(), 'w', zipfile.ZIP_STORED) as z:
    with z.open('stored.safetensors', 'w') as f: f.write(SAFETENSORS)
    with z.open('after.pkl', 'w') as f: f.write(EVIL_PICKLE)
open('stored-dd.zip', 'wb').write(buf.getvalue())
# tar with hostile names and links
def ti(name, data=b'', kind=tarfile.REGTYPE, link=''):
    t = tarfile.TarInfo(name); t.type = kind; t.linkname = link; t.size = len(data); return t, io.BytesIO(data)
with tarfile.open('hostile.tar', 'w', format=tarfile.GNU_FORMAT) as t:
    t.addfile(*ti('../up.safetensors', SAFETENSORS))
    t.addfile(*ti('/etc/abs.pkl', EVIL_PICKLE))
    t.addfile(*ti('ln', kind=tarfile.SYMTYPE, link='/etc/passwd'))
    t.addfile(*ti('a/ln2', kind=tarfile.SYMTYPE, link='../../x'))
    t.addfile(*ti('a/ok', kind=tarfile.SYMTYPE, link='../up.safetensors'))
    t.addfile(*ti('fifo', kind=tarfile.FIFOTYPE))
# depth: zip in tar.gz in zip in tar
zw('l4.zip', [('deep.safetensors', SAFETENSORS)])
with tarfile.open('l3.tar.gz', 'w:gz') as t: t.add('l4.zip')
zw('l2.zip', [('l3.tar.gz', open('l3.tar.gz', 'rb').read())], zipfile.ZIP_STORED)
with tarfile.open('l1.tar', 'w') as t: t.add('l2.zip')
# 42.zip style: a zip of zips of zeros
zw('inner.zip', [('z%d' % i, bytes(4 * 1024 * 1024)) for i in range(8)])
zw('outer.zip', [('i%d.zip' % i, open('inner.zip', 'rb').read()) for i in range(8)])
open('w.xz', 'wb').write(lzma.compress(SAFETENSORS))
open('w.lzma', 'wb').write(lzma.compress(SAFETENSORS, format=lzma.FORMAT_ALONE))
open('w.bz2', 'wb').write(bz2.compress(SAFETENSORS))
open('w.7z', 'wb').write(bytes.fromhex('377abcaf271c0004') + os.urandom(200))
open('w.rar', 'wb').write(b'Rar!\\x1a\\x07\\x01\\x00' + os.urandom(200))
open('w.gz', 'wb').write(gzip.compress(SAFETENSORS * 50))
open('zeros', 'wb').write(bytes(16 * 1024 * 1024))
open('zeros.gz', 'wb').write(gzip.compress(open('zeros', 'rb').read()))
`);
  sh(dir, 'mkdir e && cp w.gz e/ && cd e && zip -q -P secret ../enc.zip w.gz && cd .. && tar czf t.tar.gz two.zip hostile.tar && zstd -q -19 zeros -o zeros.zst');
});

afterAll(async () => tmp.cleanup());

describe('archive probe: members that cannot be opened are listed with a reason', () => {
  it('encrypted, bzip2 and lzma members: unopened with their compressed size', () => {
    expect(probeFile(join(dir, 'enc.zip')).members[0]).toMatchObject({ path: 'w.gz', unopened: expect.stringMatching(/encrypted/), compressedSize: expect.any(Number) });
    for (const n of ['bz.zip', 'lz.zip']) {
      const m = probeFile(join(dir, n)).members[0]!;
      expect(m).toMatchObject({ path: 'w.safetensors', unopened: expect.stringMatching(/method (12|14)/), compressedSize: expect.any(Number) });
      expect(m.sha256).toBeUndefined();
    }
  });

  it('stored member with a data descriptor: unopened, the rest listed from the central directory', () => {
    const f = probeFile(join(dir, 'stored-dd.zip'));
    expect(member(f, 'stored.safetensors').unopened).toMatch(/data descriptor/);
    expect(member(f, 'after.pkl')).toMatchObject({ unopened: expect.stringMatching(/central directory/), size: pickleFile(true).length, compressedSize: pickleFile(true).length });
    expect(f.findings).toBeUndefined();
    expect(f.warnings?.length).toBeGreaterThan(0);
  });

  it('xz, lzma, bzip2, 7z and rar files: unopened, with their format', () => {
    for (const [n, kind] of [['w.xz', 'xz'], ['w.lzma', 'lzma'], ['w.bz2', 'bzip2'], ['w.7z', '7z'], ['w.rar', 'rar']] as const) {
      const f = probeFile(join(dir, n));
      expect(f).toMatchObject({ kind: 'archive', archive: kind, unopened: expect.any(String), members: [] });
    }
  });
});

describe('archive probe: bounds', () => {
  it('stops a compression-ratio bomb', () => {
    const f = probeFile(join(dir, 'bomb.zip'), { ...SNIFF, ratioFloor: 1 << 20, maxRatio: 100 });
    expect(f.unopened).toMatch(/ratio/);
    expect(f.members[0]).toMatchObject({ unopened: expect.any(String) });
  });

  it('stops gzip and zstd bombs the same way', () => {
    for (const n of ['zeros.gz', 'zeros.zst']) {
      const f = probeFile(join(dir, n), { ...SNIFF, ratioFloor: 1 << 20, maxRatio: 100 });
      expect(f.unopened).toMatch(/ratio/);
      expect(f.members[0]?.unopened).toMatch(/ratio/);
    }
  });

  it('stops a nested zip bomb at the decompressed-bytes bound', () => {
    const f = probeFile(join(dir, 'outer.zip'), { ...SNIFF, maxTotalBytes: 64 << 20 });
    expect(f.unopened).toMatch(/decompressed bytes/);
  });

  it('says so when the central directory is larger than the tail kept', () => {
    const f = probeFile(join(dir, 'many.zip'), { ...SNIFF, zipTailCap: 200 });
    expect(f.memberCount).toBe(30);
    expect(f.warnings?.join('\n')).toMatch(/not compared/);
  });

  it('stops at the member count bound', () => {
    const f = probeFile(join(dir, 'many.zip'), { ...SNIFF, maxMembers: 10 });
    expect(f.unopened).toMatch(/members/);
    expect(f.memberCount).toBeLessThanOrEqual(10);
  });

  it('opens nesting to maxDepth and reports the archive below as unopened', () => {
    const all = probeFile(join(dir, 'l1.tar'));
    // tar > zip > tar.gz are levels 1-3 (the default); the zip at level 4 is listed, hashed and reported unopened.
    expect(member(all, 'l2.zip!l3.tar.gz').archive).toMatchObject({ archive: 'tar', compression: 'gzip', memberCount: 1 });
    expect(member(all, 'l2.zip!l3.tar.gz!l4.zip')).toMatchObject({ sha256: expect.any(String), archive: { archive: 'zip', unopened: expect.stringMatching(/nested/) } });
    expect(all.members.some((m) => m.path.endsWith('!deep.safetensors'))).toBe(false);
    const deep = probeFile(join(dir, 'l1.tar'), { ...SNIFF, maxDepth: 4 });
    expect(member(deep, 'l2.zip!l3.tar.gz!l4.zip!deep.safetensors').facts).toMatchObject({ kind: 'safetensors' });
    const two = probeFile(join(dir, 'l1.tar'), { ...SNIFF, maxDepth: 2 });
    expect(member(two, 'l2.zip!l3.tar.gz').archive).toMatchObject({ archive: 'gzip', unopened: expect.stringMatching(/nested/) });
  });
});

describe('archive probe: hostile names, links, damage', () => {
  it('warns on ../ and absolute member names in zip and tar, and on escaping links', () => {
    const z = probeFile(join(dir, 'names.zip'));
    expect(z.warnings?.join('\n')).toMatch(/escapes/);
    expect(z.warnings?.join('\n')).toMatch(/absolute/);
    expect(member(z, '../escape.safetensors').facts).toMatchObject({ kind: 'safetensors' });
    const t = probeFile(join(dir, 'hostile.tar'));
    const w = t.warnings?.join('\n') ?? '';
    expect(w).toMatch(/\/etc\/passwd/);
    expect(w).toMatch(/\.\.\/\.\.\/x/);
    expect(w).not.toMatch(/a\/ok/);
    expect(w).toMatch(/fifo/);
    expect(member(t, '../up.safetensors').facts).toMatchObject({ kind: 'safetensors' });
  });

  it('truncated archives: warnings, the cut member unopened', () => {
    for (const n of ['two.zip', 't.tar.gz', 'w.gz', 'hostile.tar']) {
      const data = file(n);
      for (const cut of [0.3, 0.6, 0.95]) {
        const f = probeBytes(n, data.subarray(0, Math.floor(data.length * cut)));
        expect(f.kind).toBe('archive');
        expect((f.warnings ?? []).length + (f.unopened ? 1 : 0)).toBeGreaterThan(0);
        expect(f.members.filter((m) => m.sha256 === undefined && !m.unopened)).toEqual([]);
      }
    }
  });

  it('warns on data after a gzip stream, not on zero padding', () => {
    const gz = file('w.gz');
    expect(probeBytes('w.gz', Buffer.concat([gz, Buffer.from('hidden weights')])).warnings?.join('\n')).toMatch(/after the gzip stream/);
    const padded = probeBytes('w.gz', Buffer.concat([gz, Buffer.alloc(4096)]));
    expect(padded.warnings).toBeUndefined();
    expect(padded.members[0]?.facts).toMatchObject({ kind: 'safetensors' });
  });

  it('garbage after the magic and huge claimed sizes never throw', () => {
    const r = rng(7);
    const junk = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => Math.floor(r() * 256)));
    const zipHuge = Buffer.from(file('two.zip'));
    zipHuge.writeUInt32LE(0xfffffff0, 18); // compressed size
    const cases = [
      Buffer.concat([Buffer.from('PK\x03\x04'), junk(5000)]),
      Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), junk(5000)]),
      Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), junk(5000)]),
      zipHuge,
    ];
    for (const c of cases) {
      const f = probeBytes('x', c);
      expect(f.kind).toBe('archive');
      expect((f.warnings ?? []).length + (f.unopened ? 1 : 0) + (f.findings ?? []).length).toBeGreaterThan(0);
    }
  });

  it('survives random corruption of every format without throwing', () => {
    const r = rng(11);
    for (const n of ['two.zip', 't.tar.gz', 'hostile.tar', 'l2.zip', 'w.gz', 'stored-dd.zip']) {
      const base = file(n);
      for (let i = 0; i < 40; i++) {
        const d = Buffer.from(base);
        for (let k = 0; k < 1 + Math.floor(r() * 8); k++) d[4 + Math.floor(r() * (d.length - 4))] = Math.floor(r() * 256);
        const p = archiveProbe(n, d.length, SNIFF);
        expect(() => { p.update(d); p.end(d.length); }).not.toThrow();
      }
    }
  });

  it('keeps memory bounded on a 256 MiB stored member', () => {
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    const size = 256 * 1024 * 1024;
    header.writeUInt32LE(size, 18);
    header.writeUInt32LE(size, 22);
    header.writeUInt16LE(5, 26);
    const p = archiveProbe('big.zip', 30 + 5 + size + 22, SNIFF);
    p.update(Buffer.concat([header, Buffer.from('a.bin')]));
    const chunk = Buffer.alloc(1 << 20, 7);
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 256; i++) p.update(chunk);
    const grown = process.memoryUsage().rss - before;
    const f = p.end(30 + 5 + size);
    expect(f.members?.[0]).toMatchObject({ path: 'a.bin', size });
    expect(grown).toBeLessThan(64 * 1024 * 1024);
  });
});
