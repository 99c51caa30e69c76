// A zip's central directory (what loaders read) against the local headers (what streamed past): every disagreement
// is a finding, since a loader and a scanner would see different files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../../helpers/tmp.js';
import { probeBytes, probeFile, py, sh } from './archive-fixtures.js';

let tmp: TempDir;
let dir: string;
const file = (n: string): Buffer => readFileSync(join(dir, n));
const disagree = (f: { findings?: string[] }): string[] => (f.findings ?? []).filter((x) => x.startsWith('zip central directory disagrees with local headers'));

beforeAll(async () => {
  tmp = await makeTempDir('archive-zip-cd');
  dir = tmp.path;
  py(dir, `
for name, entries in [('two.zip', [('aaaa.safetensors', SAFETENSORS), ('bbbb.txt', b'hello ' * 100)]), ('other.zip', [('cccc.pkl', EVIL_PICKLE)])]:
    with zipfile.ZipFile(name, 'w', zipfile.ZIP_DEFLATED) as z:
        for n, d in entries: z.writestr(n, d)
`);
  sh(dir, 'cat two.zip other.zip > concat.zip');
});

afterAll(async () => tmp.cleanup());

describe('archive probe: zip central directory against local headers', () => {
  it('flags a name changed in the central directory only', () => {
    const z = Buffer.from(file('two.zip'));
    const cd = z.lastIndexOf(Buffer.from('aaaa.safetensors'));
    z.write('evil', cd);
    const f = probeBytes('x.zip', z);
    expect(disagree(f).join('\n')).toMatch(/evil\.safetensors.*aaaa\.safetensors/);
  });

  it('flags a CRC, a method and a size that disagree', () => {
    const z = Buffer.from(file('two.zip'));
    const cd = z.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    z.writeUInt32LE(z.readUInt32LE(cd + 16) ^ 1, cd + 16); // crc
    z.writeUInt32LE(z.readUInt32LE(cd + 24) + 1, cd + 24); // uncompressed size
    const f = probeBytes('x.zip', z);
    expect(disagree(f).length).toBeGreaterThanOrEqual(2);
  });

  it('flags a prepended zip (two zips concatenated) and local entries the directory does not list', () => {
    const f = probeFile(join(dir, 'concat.zip'));
    expect(disagree(f).some((x) => /prepended/.test(x))).toBe(true);
    expect(disagree(f).some((x) => /not in the directory/.test(x))).toBe(true);
  });

  it('flags overlapping entries and an offset with no local header', () => {
    const z = Buffer.from(file('two.zip'));
    const second = z.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    z.writeUInt32LE(10, second + 42); // points inside the first entry
    const f = probeBytes('x.zip', z);
    expect(disagree(f).some((x) => /no local header/.test(x))).toBe(true);
    expect(disagree(f).some((x) => /overlaps/.test(x))).toBe(true);
  });

  it('flags a central directory offset beyond its position (negative prepend)', () => {
    const z = Buffer.from(file('two.zip'));
    const eocd = z.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    z.writeUInt32LE(z.readUInt32LE(eocd + 16) + 5000, eocd + 16);
    expect(disagree(probeBytes('x.zip', z)).length).toBeGreaterThan(0);
  });
});
