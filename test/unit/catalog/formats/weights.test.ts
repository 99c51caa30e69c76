import { describe, expect, it } from 'vitest';
import {
  ggufProbe, onnxProbe, parseGguf, parseOnnx, parseSafetensors, safetensorsProbe, SAFETENSORS_HEADER_CAP,
} from '../../../../src/catalog/formats/index.js';
import { feed, ggufFile, onnxFile, safetensorsFile } from './fixtures.js';

describe('safetensors', () => {
  const file = safetensorsFile(
    { 'a.weight': { dtype: 'F32', shape: [4, 3] }, 'b.bias': { dtype: 'BF16', shape: [3] }, c: { dtype: 'F32', shape: [2, 2, 2] } },
    { format: 'pt', note: 'hello' },
  );

  it('summarizes tensors, dtypes, parameters and metadata', () => {
    const f = parseSafetensors(file, file.length);
    expect(f).toMatchObject({ kind: 'safetensors', tensorCount: 3, dtypes: ['BF16', 'F32'], parameters: 23, metadata: { format: 'pt', note: 'hello' } });
    expect(f.warnings).toBeUndefined();
    expect(JSON.parse(JSON.stringify(f))).toEqual(f);
  });

  it('gives the same facts fed in random chunks, reading only the header', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const p = safetensorsProbe(file.length);
      expect(feed(p, file, seed, 1 + seed * 3)).toEqual(parseSafetensors(file, file.length));
    }
    const p = safetensorsProbe(file.length);
    const n = Number(file.readBigUInt64LE(0));
    expect(p.update(file.subarray(0, 8 + n))).toBe(false);
  });

  it('warns when the header length is beyond the file size', () => {
    const bad = Buffer.from(file);
    bad.writeBigUInt64LE(BigInt(file.length * 10));
    const f = parseSafetensors(bad, bad.length);
    expect(f.warnings?.[0]).toMatch(/beyond the file size/);
    expect(f.tensorCount).toBeUndefined();
  });

  it('warns when the header is over the cap, without reading it', () => {
    const head = Buffer.alloc(8);
    head.writeBigUInt64LE(BigInt(SAFETENSORS_HEADER_CAP + 1));
    const f = parseSafetensors(head, SAFETENSORS_HEADER_CAP * 2);
    expect(f.warnings?.[0]).toMatch(/cap/);
  });

  it('warns on invalid JSON, short files and data beyond the end', () => {
    const bad = Buffer.from(file);
    bad[9] = 0x21;
    expect(parseSafetensors(bad, bad.length).warnings).toEqual(['header is not valid JSON']);
    expect(parseSafetensors(file.subarray(0, 5), 5).warnings?.[0]).toMatch(/ends inside/);
    const cut = file.subarray(0, file.length - 4);
    expect(parseSafetensors(cut, cut.length).warnings).toEqual(['tensor data offsets point beyond the end of the file']);
  });
});

describe('gguf', () => {
  const file = ggufFile(
    {
      'general.architecture': 'llama',
      'general.name': 'Tiny Llama',
      'general.file_type': 15,
      'general.quantization_version': 2,
      'general.license': 'apache-2.0',
      'tokenizer.ggml.tokens': ['<s>', '</s>', 'hello', 'world'],
      'tokenizer.ggml.token_type': [1, 1, 1, 1],
      'llama.context_length': 2048,
    },
    [{ name: 'tok_embeddings.weight', dims: [64, 32], type: 12 }, { name: 'norm.weight', dims: [64], type: 0 }],
  );

  it('reads counts, general metadata, quantization and tensor infos, skipping arrays', () => {
    const f = parseGguf(file, file.length);
    expect(f).toMatchObject({
      kind: 'gguf', version: 3, tensorCount: 2, kvCount: 8, architecture: 'llama', name: 'Tiny Llama', fileType: 15,
      quantization: 'Q4_K_M', quantizationVersion: 2, license: 'apache-2.0', parameters: 64 * 32 + 64,
      dtypes: ['F32', 'Q4_K'], complete: true,
    });
    expect(f.metadata).not.toHaveProperty('tokenizer.ggml.tokens');
    expect(f.warnings).toBeUndefined();
  });

  it('streams in random chunks and stops after the tensor infos', () => {
    for (let seed = 1; seed <= 20; seed++) expect(feed(ggufProbe(file.length), file, seed)).toEqual(parseGguf(file, file.length));
    const p = ggufProbe(file.length);
    expect(p.update(file)).toBe(false);
  });

  it('warns on truncated files and bad magic, keeping what it read', () => {
    for (const cut of [3, 20, 60, file.length - 70]) {
      const f = parseGguf(file.subarray(0, cut), cut);
      expect(f.warnings?.join()).toMatch(/truncated|past the end|larger than the file/);
      expect(f.complete).toBe(false);
    }
    const partial = parseGguf(file.subarray(0, file.length - 70), file.length - 70);
    expect(partial.architecture).toBe('llama');
    const bad = Buffer.from(file);
    bad.write('GGUX', 0);
    expect(parseGguf(bad, bad.length).warnings?.[0]).toMatch(/bad magic/);
  });

  it('reports a capped head without a warning', () => {
    const f = parseGguf(file.subarray(0, 40), file.length);
    expect(f.warnings).toBeUndefined();
    expect(f.complete).toBe(false);
  });
});

describe('onnx', () => {
  const file = onnxFile({
    ir: 8, producer: 'pytorch', version: '2.1.0', graphBytes: 5000,
    opsets: [['', 17], ['com.microsoft', 1]], meta: { author: 'me' },
  });

  it('reads the fields around the graph', () => {
    const f = parseOnnx(file, file.length);
    expect(f).toEqual({
      kind: 'onnx', irVersion: 8, producer: 'pytorch', producerVersion: '2.1.0', modelVersion: 1, hasGraph: true,
      opsets: [{ domain: '', version: 17 }, { domain: 'com.microsoft', version: 1 }], metadata: { author: 'me' },
    });
  });

  it('streams in random chunks, never buffering the graph', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const p = onnxProbe(file.length);
      expect(feed(p, file, seed, seed * 50)).toEqual(parseOnnx(file, file.length));
    }
  });

  it('warns on truncated and non-protobuf input', () => {
    const cut = file.subarray(0, 200);
    expect(parseOnnx(cut, cut.length).warnings?.[0]).toMatch(/runs past the end/);
    const junk = Buffer.from('this is not protobuf at all');
    expect(parseOnnx(junk, junk.length).warnings?.[0]).toMatch(/not a valid ONNX/);
  });
});
