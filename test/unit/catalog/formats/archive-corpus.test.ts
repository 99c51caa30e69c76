// Ordinary archives, written by real tools, must open cleanly: every member listed and hashed, weights recognized inside.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveKindOf } from '../../../../src/catalog/formats/archive.js';
import { makeTempDir, type TempDir } from '../../../helpers/tmp.js';
import { member, probeBytes, probeFile, py, sh, sha256 } from './archive-fixtures.js';
import { safetensorsFile } from './fixtures.js';

let tmp: TempDir;
let dir: string;
const wheel = readdirSync('/usr/share/python-wheels').filter((f) => f.endsWith('.whl')).map((f) => join('/usr/share/python-wheels', f))[0]!;

beforeAll(async () => {
  tmp = await makeTempDir('archive-corpus');
  dir = tmp.path;
  py(dir, `
os.makedirs('m/sub', exist_ok=True)
open('m/model.safetensors', 'wb').write(SAFETENSORS)
open('m/sub/evil.pkl', 'wb').write(EVIL_PICKLE)
open('m/README.md', 'w').write('# a model\\n')
os.symlink('model.safetensors', 'm/alias.safetensors')
# numpy .npz: a zip of .npy files (header written by hand, as numpy does)
def npy(shape):
    hdr = "{'descr': '<f4', 'fortran_order': False, 'shape': %r, }" % (shape,)
    hdr = hdr + ' ' * (63 - (10 + len(hdr)) % 64) + '\\n'
    return b'\\x93NUMPY\\x01\\x00' + struct.pack('<H', len(hdr)) + hdr.encode() + bytes(4 * shape[0])
with zipfile.ZipFile('arrays.npz', 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('a.npy', npy((8,)))
    z.writestr('b.npy', npy((3,)))
# PyTorch-style zip: stored entries under archive/, data.pkl first
with zipfile.ZipFile('model.pt', 'w', zipfile.ZIP_STORED) as z:
    z.writestr('archive/data.pkl', EVIL_PICKLE)
    z.writestr('archive/data/0', bytes(64))
    z.writestr('archive/version', '3\\n')
# zip written to a pipe: data descriptors (flag bit 3), deflated, plus zip64 extra fields
buf = io.BytesIO()
class Pipe(io.RawIOBase):
    def writable(self): return True
    def write(self, b): buf.write(b); return len(b)
with zipfile.ZipFile(Pipe(), 'w', zipfile.ZIP_DEFLATED) as z:
    with z.open('streamed/model.safetensors', 'w') as f: f.write(SAFETENSORS)
    with z.open('streamed/big.bin', 'w', force_zip64=True) as f: f.write(os.urandom(300000))
open('streamed.zip', 'wb').write(buf.getvalue())
# zip64 end records (the entry-count limit lowered so python writes them for a small zip)
zipfile.ZIP_FILECOUNT_LIMIT = 1
with zipfile.ZipFile('z64.zip', 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('a/model.safetensors', SAFETENSORS)
    z.writestr('a/b.txt', 'b')
# multi-member gzip of one file
open('multi.safetensors.gz', 'wb').write(gzip.compress(SAFETENSORS[:40]) + gzip.compress(SAFETENSORS[40:]))
`);
  sh(dir, 'tar czf model.tar.gz m && tar cf plain.tar m && (cd m && zip -qr ../jar.zip . && mkdir -p META-INF && echo "Manifest-Version: 1.0" > META-INF/MANIFEST.MF && zip -qr ../app.jar META-INF model.safetensors)');
  sh(dir, `mkdir -p n/dist && cp ${wheel} n/dist/ && cp jar.zip n/ && tar czf nested.tar.gz n && zstd -q plain.tar -o plain.tar.zst`);
});

afterAll(async () => tmp.cleanup());

function clean(f: { findings?: string[]; warnings?: string[]; unopened?: string }): void {
  expect(f.findings).toBeUndefined();
  expect(f.warnings).toBeUndefined();
  expect(f.unopened).toBeUndefined();
}

describe('archive probe: ordinary archives', () => {
  it('lists every file of a real wheel with its sha256 and no findings', () => {
    const f = probeFile(wheel);
    clean(f);
    expect(f).toMatchObject({ kind: 'archive', archive: 'zip' });
    const out = JSON.parse(
      execFileSync('python3', ['-c', `import zipfile,hashlib,json,sys
z=zipfile.ZipFile(sys.argv[1]); print(json.dumps({i.filename: hashlib.sha256(z.read(i)).hexdigest() for i in z.infolist() if not i.is_dir()}))`, wheel]).toString(),
    ) as Record<string, string>;
    expect(Object.fromEntries(f.members.map((m) => [m.path, m.sha256]))).toEqual(out);
  });

  it('opens a tar.gz made by tar: safetensors recognized, the dangerous pickle flagged, symlink not listed', () => {
    const f = probeFile(join(dir, 'model.tar.gz'));
    clean(f);
    expect(f).toMatchObject({ archive: 'tar', compression: 'gzip', memberCount: 3 });
    expect(member(f, 'm/model.safetensors')).toMatchObject({ sha256: sha256(readFileSync(join(dir, 'm/model.safetensors'))), facts: { kind: 'safetensors', tensorCount: 1 } });
    expect(member(f, 'm/sub/evil.pkl').facts).toMatchObject({ kind: 'pickle', dangerousImports: ['os.system'] });
    const plain = probeFile(join(dir, 'plain.tar'));
    clean(plain);
    expect(plain.members).toEqual(f.members);
  });

  it('opens zips made by the zip tool (jar-like) and finds the weights', () => {
    for (const name of ['jar.zip', 'app.jar']) {
      const f = probeFile(join(dir, name));
      clean(f);
      expect(member(f, 'model.safetensors').facts).toMatchObject({ kind: 'safetensors' });
    }
  });

  it('opens a numpy .npz and a PyTorch-style zip (pickle scanned)', () => {
    const npz = probeFile(join(dir, 'arrays.npz'));
    clean(npz);
    expect(npz.members.map((m) => [m.path, m.size])).toEqual([['a.npy', 160], ['b.npy', 140]]);
    const pt = probeFile(join(dir, 'model.pt'));
    clean(pt);
    expect(member(pt, 'archive/data.pkl').facts).toMatchObject({ kind: 'pickle', dangerousImports: ['os.system'] });
  });

  it('follows data descriptors and zip64 fields of a zip written to a pipe', () => {
    const f = probeFile(join(dir, 'streamed.zip'));
    clean(f);
    expect(member(f, 'streamed/model.safetensors').facts).toMatchObject({ kind: 'safetensors' });
    expect(member(f, 'streamed/big.bin').size).toBe(300000);
  });

  it('reads zip64 end-of-central-directory records', () => {
    const z = readFileSync(join(dir, 'z64.zip'));
    expect(z.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true);
    const f = probeFile(join(dir, 'z64.zip'));
    clean(f);
    expect(f.memberCount).toBe(2);
    // The same zip with its directory's CRC altered is caught through the zip64 records.
    const bad = Buffer.from(z);
    const cd = bad.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bad.writeUInt32LE(bad.readUInt32LE(cd + 16) ^ 1, cd + 16);
    expect(probeBytes('z64.zip', bad).findings?.length).toBe(1);
  });

  it('opens nested archives: a wheel and a zip inside a tar.gz, named outer!inner', () => {
    const f = probeFile(join(dir, 'nested.tar.gz'));
    clean(f);
    const whl = `n/dist/${wheel.slice(wheel.lastIndexOf('/') + 1)}`;
    expect(member(f, whl).archive).toMatchObject({ archive: 'zip' });
    expect(f.members.filter((m) => m.path.startsWith(`${whl}!`)).length).toBe(probeFile(wheel).memberCount);
    expect(member(f, 'n/jar.zip!model.safetensors').facts).toMatchObject({ kind: 'safetensors' });
  });

  it('opens multi-member gzip as one file and zstd tars through the zstd binary', () => {
    const g = probeFile(join(dir, 'multi.safetensors.gz'));
    clean(g);
    expect(g).toMatchObject({ archive: 'gzip', memberCount: 1 });
    expect(g.members[0]).toMatchObject({ path: 'multi.safetensors', sha256: sha256(safetensorsFile({ w: { dtype: 'F32', shape: [4, 4] } }, { format: 'pt' })), facts: { kind: 'safetensors' } });
    const z = probeFile(join(dir, 'plain.tar.zst'));
    clean(z);
    expect(z).toMatchObject({ archive: 'tar', compression: 'zstd', memberCount: 3 });
  });

  it('gives the same facts however the bytes are chunked', () => {
    for (const n of ['nested.tar.gz', 'streamed.zip', 'multi.safetensors.gz']) {
      const data = readFileSync(join(dir, n));
      const whole = probeBytes(n, data, undefined, 1, data.length);
      for (let seed = 2; seed <= 3; seed++) expect(probeBytes(n, data, undefined, seed, 997)).toEqual(whole);
    }
  });

  it('names archive formats by magic bytes', () => {
    const kinds = Object.fromEntries(['model.tar.gz', 'plain.tar', 'jar.zip', 'plain.tar.zst'].map((n) => [n, archiveKindOf(readFileSync(join(dir, n)).subarray(0, 512))]));
    expect(kinds).toEqual({ 'model.tar.gz': 'gzip', 'plain.tar': 'tar', 'jar.zip': 'zip', 'plain.tar.zst': 'zstd' });
    expect(archiveKindOf(readFileSync(join(dir, 'm/model.safetensors')))).toBeUndefined();
    expect(archiveKindOf(Buffer.alloc(1024))).toBeUndefined();
  });
});
