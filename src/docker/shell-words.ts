// A POSIX-shell tokenizer for analysis: quotes, escapes and `$` expansions kept as parts, commands split at
// && || ; | & ( ) and newlines. One pass over the text: every character is read once.

/** A parameter expansion (`$X`, `${X:-word}`, `${#X}`, `${X%%pat}` …) as written. */
export interface ParamPart {
  t: 'param';
  name: string;
  /** The operator: '' (plain), '-', ':-', '=', ':=', '?', ':?', '+', ':+', '#', '##', '%', '%%', or 'len' for ${#X}. */
  op: string;
  word: Part[];
  quoted: boolean;
}

/** A piece of a word: literal text, a parameter expansion, or something only the run can tell (`$(…)`, backticks). */
export type Part = { t: 'lit'; s: string; quoted: boolean } | ParamPart | { t: 'opaque' };

/** One word of a command: its parts and the text it was written as. */
export interface RawWord {
  parts: Part[];
  text: string;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const SPECIAL = '@*#?-$!0123456789';
/** Deeper `${…${…}}` nesting than this is left to the run (keeps the analysis off the call stack's limit). */
const MAX_NESTING = 64;
// Runs of characters with no meaning to the tokenizer, taken whole (outside quotes, and inside double quotes).
const PLAIN = /[^ \t\n;&|()'"\\$`{}]+/y;
const PLAIN_DQ = /[^"\\$`]+/y;
const OPS = [':-', ':=', ':?', ':+', '##', '%%', '-', '=', '?', '+', '#', '%'];

/** A cursor over the script text. */
class Scanner {
  i = 0;
  private nesting = 0;
  constructor(readonly s: string) {}

  /** Skips to the `close` matching an already-consumed `open`, honouring quotes; used for `$(…)` and unknown `${…}`. */
  skipBalanced(open: string, close: string): void {
    let depth = 1;
    while (this.i < this.s.length && depth > 0) {
      const c = this.s[this.i++];
      if (c === '\\') this.i++;
      else if (c === "'") this.skipTo("'");
      else if (c === '"') this.skipDouble();
      else if (c === open) depth++;
      else if (c === close) depth--;
    }
  }

  skipTo(ch: string): void {
    const end = this.s.indexOf(ch, this.i);
    this.i = end === -1 ? this.s.length : end + 1;
  }

  skipDouble(): void {
    while (this.i < this.s.length && this.s[this.i] !== '"') this.i += this.s[this.i] === '\\' ? 2 : 1;
    this.i++;
  }

  /** Reads what follows a `$` (already consumed). */
  dollar(quoted: boolean): Part {
    const s = this.s;
    const c = s[this.i];
    if (c === '(') {
      this.i++;
      this.skipBalanced('(', ')');
      return { t: 'opaque' };
    }
    if (c === '{') {
      this.i++;
      return this.braced(quoted);
    }
    if (c !== undefined && SPECIAL.includes(c)) {
      this.i++;
      return { t: 'param', name: c, op: '', word: [], quoted };
    }
    if (c !== undefined && NAME_START.test(c)) {
      const start = this.i;
      while (this.i < s.length && NAME_CHAR.test(s[this.i])) this.i++;
      return { t: 'param', name: s.slice(start, this.i), op: '', word: [], quoted };
    }
    return { t: 'lit', s: '$', quoted };
  }

  /** Reads `${…}` after the brace. */
  braced(quoted: boolean): Part {
    const s = this.s;
    let op = '';
    if (s[this.i] === '#' && s[this.i + 1] !== '}' && s[this.i + 1] !== undefined && (NAME_START.test(s[this.i + 1]) || SPECIAL.includes(s[this.i + 1]))) {
      op = 'len';
      this.i++;
    }
    const start = this.i;
    if (NAME_START.test(s[this.i] ?? '')) while (this.i < s.length && NAME_CHAR.test(s[this.i])) this.i++;
    else if (SPECIAL.includes(s[this.i] ?? '')) this.i++;
    const name = s.slice(start, this.i);
    if (op === '' && s[this.i] !== '}') op = OPS.find((o) => s.startsWith(o, this.i)) ?? '';
    if (!name || (op === '' && s[this.i] !== '}') || (op === 'len' && s[this.i] !== '}')) {
      this.skipBalanced('{', '}');
      return { t: 'opaque' };
    }
    if (op !== 'len') this.i += op.length;
    if (this.nesting >= MAX_NESTING) {
      this.skipBalanced('{', '}');
      return { t: 'opaque' };
    }
    this.nesting++;
    const word = op === '' || op === 'len' ? [] : this.parts(quoted, true);
    this.nesting--;
    this.i++; // the closing brace
    return { t: 'param', name, op, word, quoted };
  }

  /** Reads a double-quoted string (after the opening quote) into parts. */
  double(into: Part[]): void {
    const s = this.s;
    let lit = '';
    const flush = () => {
      if (lit) into.push({ t: 'lit', s: lit, quoted: true });
      lit = '';
    };
    while (this.i < s.length && s[this.i] !== '"') {
      PLAIN_DQ.lastIndex = this.i;
      const run = PLAIN_DQ.exec(s);
      if (run) {
        lit += run[0];
        this.i += run[0].length;
        continue;
      }
      const c = s[this.i++];
      if (c === '\\' && this.i < s.length && '"\\$`\n'.includes(s[this.i])) {
        if (s[this.i] !== '\n') lit += s[this.i];
        this.i++;
      } else if (c === '$') {
        flush();
        into.push(this.dollar(true));
      } else if (c === '`') {
        flush();
        this.skipTo('`');
        into.push({ t: 'opaque' });
      } else lit += c;
    }
    this.i++;
    flush();
  }

  /** Reads word parts up to a word end (or, inside `${…}`, the closing brace). */
  parts(quoted: boolean, inBrace: boolean): Part[] {
    const s = this.s;
    const out: Part[] = [];
    let lit = '';
    let depth = 0;
    const flush = () => {
      if (lit) out.push({ t: 'lit', s: lit, quoted });
      lit = '';
    };
    while (this.i < s.length) {
      PLAIN.lastIndex = this.i;
      const run = PLAIN.exec(s);
      if (run) {
        lit += run[0];
        this.i += run[0].length;
        continue;
      }
      const c = s[this.i];
      if (inBrace) {
        if (c === '}' && depth === 0) break;
        if (c === '{') depth++;
        if (c === '}') depth--;
      } else if (' \t\n;&|()'.includes(c)) break;
      this.i++;
      if (c === "'" && !quoted) {
        flush();
        const end = s.indexOf("'", this.i);
        out.push({ t: 'lit', s: s.slice(this.i, end === -1 ? s.length : end), quoted: true });
        this.i = end === -1 ? s.length : end + 1;
      } else if (c === '"' && !quoted) {
        flush();
        this.double(out);
      } else if (c === '\\') {
        if (this.i < s.length && s[this.i] !== '\n') {
          flush();
          out.push({ t: 'lit', s: s[this.i], quoted: true });
        }
        this.i++;
      } else if (c === '$') {
        flush();
        out.push(this.dollar(quoted));
      } else if (c === '`') {
        flush();
        this.skipTo('`');
        out.push({ t: 'opaque' });
      } else lit += c;
    }
    flush();
    return out;
  }
}

/** Splits a shell script into simple commands, each a list of words kept as parts (expanded by shell-expand). */
export function rawShellCommands(text: string): RawWord[][] {
  const sc = new Scanner(text);
  const commands: RawWord[][] = [];
  let words: RawWord[] = [];
  const endCommand = () => {
    if (words.length > 0) commands.push(words);
    words = [];
  };
  while (sc.i < text.length) {
    const c = text[sc.i];
    if (c === ' ' || c === '\t') sc.i++;
    else if (c === '\\' && text[sc.i + 1] === '\n') sc.i += 2;
    else if ('\n;&|()'.includes(c)) {
      sc.i++;
      endCommand();
    } else if (c === '#') {
      const nl = text.indexOf('\n', sc.i);
      sc.i = nl === -1 ? text.length : nl;
    } else {
      const start = sc.i;
      const parts = sc.parts(false, false);
      if (sc.i === start) sc.i++; // never stall on a character no rule takes
      words.push({ parts, text: text.slice(start, sc.i) });
    }
  }
  endCommand();
  return commands;
}
