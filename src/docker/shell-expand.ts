// POSIX sh parameter expansion over tokenized words: ${X}, ${X:-w}, ${X-w}, ${X:=w}, ${X:?m}, ${X:+w}, ${#X},
// ${X#p}, ${X##p}, ${X%p}, ${X%%p}, then field splitting of unquoted results. What only the run can tell
// (command substitution, special parameters, variables the analysis does not know) comes back as undefined.
import type { ParamPart, Part } from './shell-words.js';

/** The shell's variables as the analysis knows them: a string is set, null is unset, a missing name is unknown. */
export type ShellVars = Map<string, string | null>;

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/]/g;

function escapeRegex(s: string): string {
  return s.replace(REGEX_SPECIAL, '\\$&');
}

/** A shell pattern (`*`, `?`, `[…]`, backslash escapes) as regular-expression source. */
function globSource(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '*') out += '[\\s\\S]*';
    else if (c === '?') out += '[\\s\\S]';
    else if (c === '\\' && i + 1 < s.length) out += escapeRegex(s[++i]);
    else if (c === '[') {
      const end = s.indexOf(']', i + 2);
      if (end === -1) out += '\\[';
      else {
        const body = s.slice(i + 1, end);
        out += `[${body.startsWith('!') ? `^${body.slice(1).replace(/\\/g, '\\\\')}` : body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else out += escapeRegex(c);
  }
  return out;
}

/** The pattern of ${X#pattern}: quoted parts match literally, unquoted ones as globs. */
function patternOf(parts: Part[], vars: ShellVars): RegExp | undefined {
  let src = '';
  for (const p of parts) {
    if (p.t === 'opaque') return undefined;
    const text = p.t === 'lit' ? p.s : expandParam(p, vars);
    if (text === undefined) return undefined;
    src += p.quoted ? escapeRegex(text) : globSource(text);
  }
  return new RegExp(`^(?:${src})$`);
}

/** Removes the shortest or longest prefix (`#`, `##`) or suffix (`%`, `%%`) of VALUE matching RE. */
function trim(value: string, re: RegExp, op: string): string {
  const n = value.length;
  const longest = op.length === 2;
  for (let k = 0; k <= n; k++) {
    const len = longest ? n - k : k;
    if (op[0] === '#' ? re.test(value.slice(0, len)) : re.test(value.slice(n - len))) return op[0] === '#' ? value.slice(len) : value.slice(0, n - len);
  }
  return value;
}

/** Expands one parameter expansion to its text; undefined when the analysis cannot know it. */
export function expandParam(p: ParamPart, vars: ShellVars): string | undefined {
  return evalParam(p, vars)?.text;
}

/** The text of an expansion, and whether it came from a word written with quotes (then it is not split). */
function evalParam(p: ParamPart, vars: ShellVars): { text: string; quotedWord?: boolean } | undefined {
  if (!vars.has(p.name)) return undefined;
  const value = vars.get(p.name) ?? null;
  const colon = p.op.startsWith(':');
  const missing = value === null || (colon && value === '');
  const word = () => {
    const text = expandString(p.word, vars);
    return text === undefined ? undefined : { text, quotedWord: p.word.some((w) => w.t !== 'opaque' && w.quoted) };
  };
  const known = (text: string | undefined) => (text === undefined ? undefined : { text });
  switch (p.op.replace(/^:/, '')) {
    case '':
      return { text: value ?? '' };
    case 'len':
      return { text: String((value ?? '').length) };
    case '-':
      return missing ? word() : known(value as string);
    case '=': {
      if (!missing) return known(value as string);
      const w = word();
      if (w === undefined) vars.delete(p.name);
      else vars.set(p.name, w.text);
      return w;
    }
    case '?':
      // The shell stops the script here: nothing after it runs, so nothing can be said about it.
      return missing ? undefined : known(value as string);
    case '+':
      return missing ? { text: '' } : word();
    default: {
      const re = patternOf(p.word, vars);
      return re ? { text: trim(value ?? '', re, p.op) } : undefined;
    }
  }
}

/** Expands a word without field splitting (assignments, patterns, ${X:-word}); undefined when unknowable. */
export function expandString(parts: Part[], vars: ShellVars): string | undefined {
  let out = '';
  for (const p of parts) {
    if (p.t === 'opaque') return undefined;
    const text = p.t === 'lit' ? p.s : expandParam(p, vars);
    if (text === undefined) return undefined;
    out += text;
  }
  return out;
}

/** Expands a word into fields, splitting unquoted expansion results at blanks; undefined when unknowable. */
export function expandFields(parts: Part[], vars: ShellVars): string[] | undefined {
  const fields: string[] = [];
  let cur = '';
  let have = false;
  for (const p of parts) {
    if (p.t === 'opaque') return undefined;
    if (p.t === 'lit') {
      cur += p.s;
      have = true;
      continue;
    }
    const r = evalParam(p, vars);
    if (r === undefined) return undefined;
    const text = r.text;
    if (p.quoted || r.quotedWord) {
      cur += text;
      have = true;
      continue;
    }
    text.split(/[ \t\n]+/).forEach((piece, k) => {
      if (k > 0) {
        if (have) fields.push(cur);
        cur = '';
        have = false;
      }
      cur += piece;
      if (piece) have = true;
    });
  }
  if (have) fields.push(cur);
  return fields;
}
