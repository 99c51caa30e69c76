import { describe, expect, it } from 'vitest';
import {
  detectFormat, mlFileProbe, parseHdf5, parseMlFile, parsePickle, parseTflite, parseZip, pickleProbe, scanPickleBuffer,
  zipProbe, parseParquet, parseArrow, parseJsonl, parseCsv, parseText, isDangerousImport,
} from '../../../../src/catalog/formats/index.js';
import { feed, hdf5File, pickleFile, stackGlobalPickle, tfliteFile, zipFile } from './fixtures.js';

describe('pickle', () => {
  it('collects GLOBAL imports and flags os.system', () => {
    const evil = pickleFile(true);
    const f = parsePickle(evil, evil.length);
    expect(f).toMatchObject({ kind: 'pickle', pickle: true, protocol: 2, imports: ['collections.OrderedDict', 'os.system'], dangerousImports: ['os.system'] });
    expect(f.warnings?.[0]).toMatch(/os\.system/);
    const benign = pickleFile();
    expect(parsePickle(benign, benign.length).warnings).toBeUndefined();
  });

  it('resolves STACK_GLOBAL through memoized strings', () => {
    const s = scanPickleBuffer(stackGlobalPickle());
    expect(s.imports).toEqual(['torch._utils._rebuild_tensor_v2', 'builtins.eval']);
    expect(s.dangerousImports).toEqual(['builtins.eval']);
    expect(s.error).toBeUndefined();
  });

  it('streams in random chunks', () => {
    const evil = Buffer.concat([pickleFile(true), Buffer.alloc(300, 0xab)]);
    for (let seed = 1; seed <= 20; seed++) expect(feed(pickleProbe(evil.length), evil, seed, 7)).toEqual(parsePickle(evil, evil.length));
  });

  it('classifies imports', () => {
    expect(isDangerousImport('posix', 'system')).toBe(true);
    expect(isDangerousImport('subprocess', 'Popen')).toBe(true);
    expect(isDangerousImport('builtins', 'set')).toBe(false);
    expect(isDangerousImport('torch._utils', '_rebuild_tensor_v2')).toBe(false);
  });

  it('warns on garbage after the protocol byte', () => {
    const bad = Buffer.from([0x80, 0x02, 0xff, 0xff]);
    expect(parsePickle(bad, bad.length).warnings?.[0]).toMatch(/unknown opcode/);
  });
});

describe('zip checkpoints', () => {
  const torch = zipFile([
    { name: 'archive/data.pkl', data: pickleFile(true) },
    { name: 'archive/byteorder', data: Buffer.from('little') },
    { name: 'archive/data/0', data: Buffer.alloc(4000, 1) },
    { name: 'archive/version', data: Buffer.from('3\n') },
  ]);

  it('lists entries, flags pickle and scans data.pkl', () => {
    const f = parseZip('model/pytorch_model.bin', torch, torch.length);
    expect(f).toMatchObject({
      kind: 'pytorch', format: 'pytorch-zip', pickle: true, entryCount: 4, dangerousImports: ['os.system'],
      entries: ['archive/data.pkl', 'archive/byteorder', 'archive/data/0', 'archive/version'],
    });
  });

  it('streams in random chunks', () => {
    for (let seed = 1; seed <= 20; seed++) {
      expect(feed(zipProbe('m.pt', torch.length), torch, seed, 300)).toEqual(parseZip('m.pt', torch, torch.length));
    }
  });

  it('recognizes .keras zips and reports truncation', () => {
    const keras = zipFile([
      { name: 'metadata.json', data: Buffer.from('{"keras_version":"3.1.0"}') },
      { name: 'config.json', data: Buffer.from('{}') },
      { name: 'model.weights.h5', data: hdf5File() },
    ]);
    expect(parseZip('m.keras', keras, keras.length)).toMatchObject({ kind: 'keras', format: 'keras-v3', pickle: false, kerasVersion: '3.1.0' });
    const cut = torch.subarray(0, 200);
    expect(parseZip('m.pt', cut, cut.length).warnings?.join()).toMatch(/past the end|truncated/);
  });
});

describe('other formats', () => {
  it('finds the HDF5 signature at 0 or 512 and Keras attributes', () => {
    expect(parseHdf5(hdf5File(), 256)).toMatchObject({ kind: 'hdf5', superblockOffset: 0, superblockVersion: 0, keras: true });
    expect(parseHdf5(hdf5File(512), 768)).toMatchObject({ superblockOffset: 512 });
    expect(parseHdf5(Buffer.alloc(100), 100).warnings).toEqual(['no HDF5 signature found']);
  });

  it('reads the TFLite identifier, version and description', () => {
    expect(parseTflite(tfliteFile(), 64)).toEqual({ kind: 'tflite', version: 3, description: 'hello' });
    expect(parseTflite(Buffer.alloc(16), 16).warnings).toHaveLength(1);
  });

  it('recognizes dataset files', () => {
    expect(parseParquet(Buffer.from('PAR1xxxxPAR1'), 12)).toEqual({ kind: 'parquet', format: 'parquet' });
    expect(parseParquet(Buffer.from('PAR1xxxx'), 8).warnings).toHaveLength(1);
    expect(parseArrow(Buffer.from('ARROW1\0\0'), 100)).toMatchObject({ format: 'arrow-file' });
    expect(parseArrow(Buffer.from([255, 255, 255, 255, 16, 0, 0, 0]), 100)).toMatchObject({ format: 'arrow-stream' });
    expect(parseJsonl(Buffer.from('{"text":"a","label":1}\n{"text":"b"}\n'), 40)).toEqual({ kind: 'jsonl', columns: ['text', 'label'] });
    expect(parseJsonl(Buffer.from('{oops\n'), 6).warnings).toHaveLength(1);
    expect(parseCsv(Buffer.from('id,"a, b",c\n1,2,3\n'), 20)).toMatchObject({ columns: ['id', 'a, b', 'c'] });
    expect(parseText(Buffer.from('abcdef'), 10, 4)).toEqual({ kind: 'text', text: 'abcd', truncated: true });
  });
});

describe('detectFormat and the sniffing probe', () => {
  it('maps magic bytes and extensions to formats', () => {
    const st = Buffer.alloc(16);
    st.writeBigUInt64LE(100n);
    st.write('{"a', 8);
    expect(detectFormat('x/blob', st)).toBe('safetensors');
    expect(detectFormat('a.bin', Buffer.from('GGUF\x03\0\0\0'))).toBe('gguf');
    expect(detectFormat('a.bin', zipFile([{ name: 'archive/data.pkl', data: pickleFile() }]))).toBe('pytorch');
    expect(detectFormat('a.npz', zipFile([{ name: 'x.npy', data: Buffer.alloc(1) }]))).toBe('npz');
    expect(detectFormat('a.bin', pickleFile())).toBe('pickle');
    expect(detectFormat('a.bin', Buffer.from('hello world'))).toBeUndefined();
    expect(detectFormat('model.onnx', Buffer.from([0x08, 0x07, 0x12]))).toBe('onnx');
    expect(detectFormat('x', tfliteFile())).toBe('tflite');
    expect(detectFormat('x.h5', hdf5File(512))).toBe('hdf5');
    expect(detectFormat('d.parquet', Buffer.from('PAR1'))).toBe('parquet');
    expect(detectFormat('d.jsonl', Buffer.from('{}'))).toBe('jsonl');
    expect(detectFormat('broken.safetensors', Buffer.alloc(16, 0xff))).toBe('safetensors');
  });

  it('delegates to the detected probe, whatever the chunking', () => {
    const evil = pickleFile(true);
    for (let seed = 1; seed <= 10; seed++) {
      const f = feed(mlFileProbe('legacy.pt', evil.length), evil, seed, 5);
      expect(f).toMatchObject({ kind: 'pickle', format: 'pytorch-legacy', dangerousImports: ['os.system'] });
    }
    expect(parseMlFile('x.bin', Buffer.from('random bytes that are not a model....'), 37)).toEqual({ kind: 'unknown' });
    const card = Buffer.from('---\nlicense: mit\n---\n# Model\n');
    expect(parseMlFile('models--a--b/blobs/abc', card, card.length, { textCap: 1024 })).toEqual({ kind: 'text', text: card.toString() });
  });
});
