// The wiring rule, checked on the sources: outside src/cli (the door that owns the process), nothing reads
// process.env, installs signal handlers, or exits the process; the CLI builds the parts and hands them in.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/index.js';

const SRC = join(repoRoot, 'src');

/** What the library may not do, each with a name for the failure message. */
const RULES: Array<{ name: string; pattern: RegExp }> = [
  { name: 'reads process.env', pattern: /\bprocess\s*(?:\.\s*env\b|\[\s*['"`]env['"`]\s*\])/ },
  { name: 'takes env from process', pattern: /\{[^}]*\benv\b[^}]*\}\s*=\s*process\b/ },
  { name: 'installs a signal handler', pattern: /\bprocess\s*\.\s*(?:on|addListener|prependListener|prependOnceListener)\s*\(\s*['"`]SIG/ },
  { name: 'calls process.once', pattern: /\bprocess\s*\.\s*once\s*\(/ },
  { name: 'exits the process', pattern: /\bprocess\s*\.\s*(?:exit\s*\(|exitCode\b|abort\s*\(|kill\s*\(\s*process\s*\.\s*pid)/ },
  { name: 'imports env, exit or signal hooks from node:process', pattern: /import\s*\{[^}]*\b(?:env|exit|exitCode|on|once)\b[^}]*\}\s*from\s*['"](?:node:)?process['"]/ },
];

/**
 * The only exceptions, each with its reason. A child git inherits the user's environment (proxy, CA, credential
 * helpers are git's own settings) plus fixed non-interactive settings; no flag of mlbuild travels through it.
 */
const ALLOWED: Record<string, { rule: string; reason: string }> = {
  'src/model/git.ts': { rule: 'reads process.env', reason: "git child processes inherit the user's environment, extended with GIT_ENV" },
};

/** Every .ts file under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** The code without comments (so that prose about the environment does not count). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** The rules a source text breaks. */
function violations(text: string): string[] {
  const c = code(text);
  return RULES.filter((r) => r.pattern.test(c)).map((r) => r.name);
}

describe('architecture: only src/cli touches the process', () => {
  it('the detector catches each forbidden use and ignores comments', () => {
    expect(violations('const h = process.env.DOCKER_HOST;')).toEqual(['reads process.env']);
    expect(violations("const e = process['env'];")).toEqual(['reads process.env']);
    expect(violations('const { env } = process;')).toEqual(['takes env from process']);
    expect(violations("process.on('SIGINT', f);")).toEqual(['installs a signal handler']);
    expect(violations("process.once('exit', f);")).toEqual(['calls process.once']);
    expect(violations('process.exit(130);')).toEqual(['exits the process']);
    expect(violations('process.exitCode = 1;')).toEqual(['exits the process']);
    expect(violations("import { env } from 'node:process';")).toEqual(['imports env, exit or signal hooks from node:process']);
    expect(violations('// process.env.X is read by the wiring\n/* process.exit(1) */ const x = 1;')).toEqual([]);
  });

  it('outside src/cli: no process.env reads, no signal handlers, no process.exit/exitCode', () => {
    const found: string[] = [];
    for (const file of sources(SRC)) {
      const rel = relative(repoRoot, file).split('\\').join('/');
      if (rel.startsWith('src/cli/')) continue;
      const allowed = ALLOWED[rel];
      for (const v of violations(readFileSync(file, 'utf8'))) if (allowed?.rule !== v) found.push(`${rel}: ${v}`);
    }
    expect(found).toEqual([]);
  });

  it('every allow-listed file still needs its exception (a stale entry is removed)', () => {
    for (const [rel, { rule }] of Object.entries(ALLOWED)) expect(violations(readFileSync(join(repoRoot, rel), 'utf8')), rel).toContain(rule);
  });
});
