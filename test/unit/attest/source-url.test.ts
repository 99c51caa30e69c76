import { describe, expect, it } from 'vitest';
import { normalizeSourceUrl, sameSource } from '../../../src/attest/source-url.js';

describe('normalizeSourceUrl', () => {
  it('gives every spelling of a repository the same key', () => {
    const key = 'huggingface.co/org/model';
    for (const u of [
      'https://huggingface.co/org/model',
      'http://huggingface.co/org/model.git',
      'https://user:token@HuggingFace.CO:443/org/model.git/',
      'git:https://huggingface.co/org/model/',
      'git+https://huggingface.co/org/model?x=1#frag',
      'git@huggingface.co:org/model.git',
      'ssh://git@huggingface.co/org/model',
    ]) {
      expect(normalizeSourceUrl(u), u).toBe(key);
    }
    expect(sameSource('https://huggingface.co/org/model', 'http://huggingface.co/org/model.git')).toBe(true);
  });

  it('keeps what distinguishes repositories: path case, non-default ports, other paths', () => {
    expect(normalizeSourceUrl('http://127.0.0.1:8080/repos/m.git')).toBe('127.0.0.1:8080/repos/m');
    expect(normalizeSourceUrl('https://huggingface.co/Org/Model')).toBe('huggingface.co/Org/Model');
    expect(sameSource('https://huggingface.co/org/a', 'https://huggingface.co/org/b')).toBe(false);
  });

  it('turns local paths into absolute file URLs and never leaks credentials', () => {
    expect(normalizeSourceUrl('/srv/models/m/')).toBe('file:///srv/models/m');
    expect(normalizeSourceUrl('file:///srv/models/m')).toBe('file:///srv/models/m');
    expect(normalizeSourceUrl('https://u:secret@h.example/x')).not.toContain('secret');
    expect(() => normalizeSourceUrl('  ')).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
