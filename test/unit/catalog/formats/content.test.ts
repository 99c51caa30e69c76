// The content probe fed as a layer stream feeds it (64 KiB chunks): what decides is the bytes, however they arrive.
import { describe, expect, it } from 'vitest';
import { ContentProbe } from '../../../../src/catalog/formats/content.js';
import type { ProbeFacts } from '../../../../src/catalog/probe.js';

function probe(path: string, bytes: Buffer, chunk = 65536): ProbeFacts {
  const p = new ContentProbe(path, bytes.length, () => undefined);
  for (let i = 0; i < bytes.length; i += chunk) if (!p.update(bytes.subarray(i, i + chunk))) break;
  return p.end(bytes.length);
}

describe('ContentProbe: protocol 0 pickles', () => {
  it('a code-running protocol 0 pickle padded past the scanner\'s 64 KiB text cap is still a pickle that imports posix.system', () => {
    const padded = Buffer.from(`cposix\nsystem\n(S'${'x'.repeat(2_000_000)}'\ntR.`, 'latin1');
    expect(probe('notes.txt', padded)).toMatchObject({ kind: 'pickle', dangerousImports: ['posix.system'] });
  });

  it('text that merely starts like an opcode stream is not a pickle', () => {
    expect(probe('notes.txt', Buffer.from(`copyright notes\n${'x'.repeat(200_000)}\n`))).toEqual({ kind: 'none' });
    expect(probe('a.txt', Buffer.from('(a b c)\n'))).toEqual({ kind: 'none' });
  });
});
