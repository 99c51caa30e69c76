// RUN commands are expanded as POSIX sh expands them; what only the run can tell is reported, never guessed.
import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../../src/docker/dockerfile.js';
import { substitute } from '../../../src/docker/dockerfile-subst.js';
import { findModelFetches } from '../../../src/docker/model-fetches.js';
import { shellCommands } from '../../../src/docker/shell-script.js';

const words = (script: string, vars: Record<string, string | null>) => shellCommands(script, new Map(Object.entries(vars)))[0];

describe('POSIX parameter expansion in RUN', () => {
  const vars = { X: 'https://h/org/model.tar.gz', E: '', U: null, L: 'a b  c' };
  const cases: Array<[string, string[]]> = [
    ['${X}', ['https://h/org/model.tar.gz']],
    ['$X', ['https://h/org/model.tar.gz']],
    ['${U:-d} ${E:-d} ${X:-d}', ['d', 'd', 'https://h/org/model.tar.gz']],
    ['${U-d} ${E-d}', ['d']], // E is set (empty): ${E-d} is the empty string, and an unquoted empty field vanishes
    ['"${E-d}"', ['']],
    ['${U:+a} ${E:+a} ${X:+a} ${E+a} ${U+a}', ['a', 'a']],
    ['${X:?must be set} ${X?m}', ['https://h/org/model.tar.gz', 'https://h/org/model.tar.gz']],
    ['${#X} ${#E} ${#U}', ['26', '0', '0']],
    ['${X#*/} ${X##*/}', ['/h/org/model.tar.gz', 'model.tar.gz']],
    ['${X%.*} ${X%%.*}', ['https://h/org/model.tar', 'https://h/org/model']],
    ['${X#"https://"}', ['h/org/model.tar.gz']],
    ["'$X' \"$X\"", ['$X', 'https://h/org/model.tar.gz']],
    ['$L "$L"', ['a', 'b', 'c', 'a b  c']],
    ['${U:-"$L"}', ['a b  c']],
    ['pre${X##*/}post \\$X', ['premodel.tar.gzpost', '$X']],
  ];
  for (const [script, want] of cases) {
    it(`${script} → ${JSON.stringify(want)}`, () => {
      const c = words(`echo ${script}`, vars);
      expect(c.words.slice(1)).toEqual(want);
      expect(c.unresolved.size).toBe(0);
    });
  }

  it('${X:=w} assigns; script assignments, export and unset reach the later commands', () => {
    const cmds = shellCommands('echo ${N:=one} && echo $N; M=two; export P=$M; unset X; echo $M $P ${X:-gone}', new Map([['X', 'x'], ['N', null]]));
    expect(cmds.map((c) => c.words)).toEqual([['echo', 'one'], ['echo', 'one'], ['export', 'P=two'], ['unset', 'X'], ['echo', 'two', 'two', 'gone']]);
  });

  it('command substitution, backticks, unset ${X:?}, special and unknown variables are unresolved, kept as written', () => {
    for (const w of ['$(cat url)', '`cat url`', '${U:?must be set}', '${E:?m}', '$1', '$NOT_DECLARED', '${R:-$(date)}']) {
      const c = words(`git clone ${w} /m`, { U: null, E: '' });
      expect(c.words, w).toEqual(['git', 'clone', w, '/m']);
      expect([...c.unresolved], w).toEqual([2]);
    }
    const loop = shellCommands('for m in a b; do git clone https://h/$m; done; R=$(cat f); echo $R');
    expect(loop.find((c) => c.words[0] === 'git')?.unresolved.size).toBe(1);
    expect(loop.at(-1)?.unresolved.size).toBe(1);
  });
});

describe('Dockerfile analysis of RUN with parameter expansion', () => {
  const df = (run: string) => parseDockerfile(`FROM busybox\nARG X\nARG Y=https://h/org/y\nRUN ${run}\n`);

  it('${X:?must be set} with --build-arg X resolves to the clone URL', () => {
    const [f] = findModelFetches(df('git clone ${X:?must be set} /models/x'), { buildArgs: { X: 'https://h/org/x' } });
    expect(f).toMatchObject({ kind: 'git', source: 'https://h/org/x', dest: '/models/x' });
    expect(f.unresolved).toBeUndefined();
  });

  it('the ARG default and other forms resolve; without the build arg ${X:?} is unresolved, not a URL', () => {
    expect(findModelFetches(df('git clone ${Y%/y}/z ${X:-/models/z}'))[0]).toMatchObject({ source: 'https://h/org/z', dest: '/models/z' });
    const [f] = findModelFetches(df('git clone ${X:?must be set} /models/x'));
    expect(f).toMatchObject({ kind: 'git', unresolved: '${X:?must be set}' });
  });

  it('a revision or URL made at run time is unresolved', () => {
    expect(findModelFetches(df('git clone $Y /m && cd /m && git checkout $(cat /rev)'))[0]).toMatchObject({ source: 'https://h/org/y', unresolved: '$(cat /rev)' });
    expect(findModelFetches(df('wget -O /m.bin "$(cat /url)"'))[0]).toMatchObject({ kind: 'url', unresolved: '"$(cat /url)"', dest: '/m.bin' });
  });

  it('exec form runs no shell; ["sh", "-c", SCRIPT] does', () => {
    expect(findModelFetches(df('["git", "clone", "$Y", "/m"]'))[0]).toMatchObject({ source: '$Y' });
    expect(findModelFetches(df('["/bin/sh", "-c", "git clone $Y /m"]'))[0]).toMatchObject({ source: 'https://h/org/y' });
  });
});

describe("Dockerfile-level substitution (the frontend's own rules)", () => {
  const vars = new Map<string, string | null>([['A', 'a'], ['E', ''], ['U', null]]);
  it('$A, ${A}, ${A:-w}, ${A:+w}, nested words and \\$', () => {
    expect(substitute('$A ${A} ${E:-d} ${U:-${A}x} ${A:+p} ${E:+p} \\$A $NONE.', vars)).toBe('a a d ax p  $A .');
  });
  it('forms the frontend does not know stay as written (docker reports them)', () => {
    expect(substitute('${A-d} ${A#a}', vars)).toBe('${A-d} ${A#a}');
  });
});

describe('linear analysis', () => {
  it('a 1.6 MB RUN line of nested and unclosed expansions finishes', () => {
    const line = `${'git clone "a b" && '.repeat(20_000)}${'${X:-${X#*}'.repeat(100_000)}`;
    const f = findModelFetches(parseDockerfile(`FROM busybox\nCOPY ${'${X:-'.repeat(100_000)} /x\nRUN ${line}\n`));
    expect(f.length).toBeGreaterThan(0);
  }, 120_000);

  it('1.6 MB RUN lines of unclosed Python calls and of checkouts that match no clone finish', () => {
    const py = `RUN ${'snapshot_download( '.repeat(84_000)}`;
    const checkouts = `RUN ${'git clone https://h/a.git /m && git -C /o checkout v1 && '.repeat(28_000)}true`;
    const f = findModelFetches(parseDockerfile(`FROM busybox\n${py}\n${checkouts}\n`));
    expect(f).toHaveLength(28_000);
    expect(f[0]).toMatchObject({ dest: '/m', revision: undefined });
  }, 120_000);
});
