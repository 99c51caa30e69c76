// The CLI's rendering: a terminal progress line whose byte counter moves inside a layer, and failures as one line
// on stderr plus JSON on stdout with --json, internal errors included.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MlbuildError } from '../../../src/core/index.js';
import { Output } from '../../../src/cli/output.js';
import { reportError } from '../../../src/cli/report-error.js';

function capture(stream: NodeJS.WriteStream): string[] {
  const lines: string[] = [];
  vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
  return lines;
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('progress line', () => {
  it('moves the MB counter with bytes events inside one layer (a terminal, not -q, not --json)', () => {
    const had = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
    try {
      vi.useFakeTimers({ toFake: ['Date'] });
      const out = new Output();
      const err = capture(process.stderr);
      out.event({ type: 'layer-start', index: 1, total: 2, diffID: 'sha256:x' });
      for (let i = 0; i < 3; i++) {
        vi.advanceTimersByTime(1000);
        out.event({ type: 'bytes', bytes: 500e6 });
      }
      const shown = err.map((l) => /(\d+) MB {2}/.exec(l)?.[1]).filter(Boolean);
      expect(shown).toEqual(['0', '500', '1000', '1500']);
      expect(err.at(-1)).toContain('layer 2/2');
      out.event({ type: 'layer-done', index: 1, diffID: 'sha256:x', bytes: 1500e6, cached: false });
      expect(err.at(-1)).toContain('1500 MB'); // not counted twice at the end of the layer
    } finally {
      if (had) Object.defineProperty(process.stderr, 'isTTY', had);
      else delete (process.stderr as { isTTY?: boolean }).isTTY;
    }
  });
});

describe('failures', () => {
  const parse = (lines: string[]) => JSON.parse(lines.join('')) as { ok: boolean; error: { code: string; exitCode: number } };

  it('--json: a coded error, a filesystem fault and an internal error each print JSON on stdout', () => {
    const cases: Array<[unknown, string, number]> = [
      [new MlbuildError('BAD_TARGET', 'no such image'), 'BAD_TARGET', 2],
      [Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES', path: '/x' }), 'ENVIRONMENT', 3],
      [Object.assign(new Error('ENOTDIR'), { code: 'ENOTDIR', path: '/f/x' }), 'USAGE', 2],
      [new TypeError('boom'), 'INTERNAL', 70],
    ];
    for (const [thrown, code, exit] of cases) {
      const out = new Output();
      out.json = true;
      const stdout = capture(process.stdout);
      const stderr = capture(process.stderr);
      expect(reportError(thrown, out)).toBe(exit);
      vi.restoreAllMocks();
      expect(parse(stdout)).toMatchObject({ ok: false, error: { code, exitCode: exit } });
      expect(stderr.join('').trim().split('\n')).toHaveLength(1);
    }
  });
});
