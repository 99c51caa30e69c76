// `--output` exporters that would ship a build unchecked are refused before anything runs (exit 2).
import { describe, expect, it } from 'vitest';
import { isMlbuildError } from '../../../src/core/index.js';
import { parseBuildArgs } from '../../../src/docker/build-flags.js';

const code = (argv: string[]): string | undefined => {
  try {
    parseBuildArgs(argv);
    return undefined;
  } catch (e) {
    return isMlbuildError(e) ? e.code : 'crash';
  }
};

describe('build --output', () => {
  it.each([
    ['-o', 'type=local,dest=out'],
    ['-o', './out'],
    ['-o', '-'],
    ['--output', 'type=tar,dest=x.tar'],
    ['--output=type=oci,dest=x.tar', undefined],
    ['-o', 'type=registry,name=r/x'],
    ['-o', 'type=image,name=r/x,push=true'],
    ['-otype=local,dest=out', undefined],
    ['-o', 'TYPE=Local,dest=out'],
  ])('refuses %s %s', (a, b) => {
    expect(code([a, ...(b === undefined ? [] : [b]), '.'])).toBe('USAGE');
  });

  it.each([['type=docker'], ['type=image,name=r/x'], ['type=image,push=false']])('allows %s (the engine keeps the image until the check)', (v) => {
    expect(code(['-o', v, '.'])).toBeUndefined();
  });
});
