// Dockerfile-level ARG/ENV substitution (FROM, ENV, ARG, WORKDIR, ADD, COPY …) by the rules of the Dockerfile
// frontend dockerd 20.10 ships: $VAR, ${VAR}, ${VAR:-word}, ${VAR:+word}, nested words, `\$` for a literal `$`.
// RUN is not substituted here: its shell expands it (see shell-script.ts).

/** Variables as the Dockerfile sees them: null is declared but unset (an ARG without a value). */
export type DockerfileVars = Map<string, string | null>;

const NAME = /[A-Za-z0-9_]/;
/** Deeper `${A:-${B:-…}}` nesting than this is kept as written (keeps substitution off the call stack's limit). */
const MAX_NESTING = 64;

/** For each `${` of TEXT, the index of the `}` that closes it (one pass, nested forms included). */
function closingBraces(text: string): Map<number, number> {
  const close = new Map<number, number>();
  const open: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '$' && text[i + 1] === '{') open.push(i++);
    else if (text[i] === '}' && open.length > 0) close.set(open.pop() as number, i);
  }
  return close;
}

/** Substitutes variables in TEXT the way the Dockerfile frontend does (unknown variables become empty). */
export function substitute(text: string, vars: DockerfileVars): string {
  const close = closingBraces(text);
  const run = (from: number, to: number, depth: number): string => {
    if (depth > MAX_NESTING) return text.slice(from, to);
    let out = '';
    let i = from;
    while (i < to) {
      const c = text[i];
      if (c === '\\' && text[i + 1] === '$') {
        out += '$';
        i += 2;
      } else if (c === '$' && text[i + 1] === '{' && close.has(i) && (close.get(i) as number) < to) {
        const end = close.get(i) as number;
        let j = i + 2;
        while (j < end && NAME.test(text[j])) j++;
        const name = text.slice(i + 2, j);
        const value = vars.get(name) ?? '';
        const op = text.slice(j, j + 2);
        if (j === end && name) out += value;
        else if (op === ':-' && name) out += value ? value : run(j + 2, end, depth + 1);
        else if (op === ':+' && name) out += value ? run(j + 2, end, depth + 1) : '';
        else out += text.slice(i, end + 1); // a form this frontend does not know: docker reports it
        i = end + 1;
      } else if (c === '$' && /[A-Za-z_]/.test(text[i + 1] ?? '')) {
        let j = i + 1;
        while (j < to && NAME.test(text[j])) j++;
        out += vars.get(text.slice(i + 1, j)) ?? '';
        i = j;
      } else {
        out += c;
        i++;
      }
    }
    return out;
  };
  return run(0, text.length, 0);
}
