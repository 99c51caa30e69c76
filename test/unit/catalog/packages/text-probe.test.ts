import { describe, expect, it } from 'vitest';
import { textOf, textRule } from '../../../../src/catalog/packages/text-probe.js';

function feed(cap: number, content: string, chunk: number): ReturnType<typeof textOf> {
  const rule = textRule('t', () => true, cap);
  const bytes = Buffer.from(content);
  const probe = rule.create('x', bytes.length);
  for (let at = 0; at < bytes.length && probe.update(bytes.subarray(at, at + chunk)); at += chunk);
  const facts = JSON.parse(JSON.stringify(probe.end(bytes.length)));
  return textOf({ path: 'x', type: 'file', size: bytes.length, mode: 0o644, layer: 0, facts });
}

describe('textRule', () => {
  it('captures whole small files whatever the chunk size', () => {
    for (const chunk of [1, 3, 7, 1000]) expect(feed(64, 'hello\nworld\n', chunk)).toEqual({ kind: 'text', text: 'hello\nworld\n', truncated: false });
  });

  it('stops at the cap and marks the text truncated', () => {
    expect(feed(5, 'hello world', 2)).toEqual({ kind: 'text', text: 'hello', truncated: true });
    expect(feed(5, 'hello', 2)).toEqual({ kind: 'text', text: 'hello', truncated: false });
  });

  it('ignores facts of other kinds', () => {
    expect(textOf({ path: 'x', type: 'file', size: 1, mode: 0, layer: 0, facts: { kind: 'gguf' } })).toBeUndefined();
    expect(textOf(undefined)).toBeUndefined();
  });
});
