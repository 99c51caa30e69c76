// A shell script as the analysis reads it: simple commands in order, words expanded as POSIX sh would, with the
// script's own assignments (X=…, export, unset, for, read) applied to the commands after them.
import { expandFields, expandString, type ShellVars } from './shell-expand.js';
import { rawShellCommands, type RawWord } from './shell-words.js';

/** One simple command after expansion: its words, and which of them only the run can tell (kept as written). */
export interface ShellCommand {
  words: string[];
  /** Indexes of words that could not be resolved before the build. */
  unresolved: Set<number>;
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;
const RESERVED = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', '}', 'time']);
const DECLARE = new Set(['export', 'readonly', 'local', 'declare', 'typeset']);

/** NAME when a raw word is an assignment `NAME=…` written unquoted. */
function assignmentName(w: RawWord): string | undefined {
  const first = w.parts[0];
  return first?.t === 'lit' && !first.quoted ? ASSIGNMENT.exec(first.s)?.[1] : undefined;
}

/** Applies `NAME=value`: the value when known, else the name becomes unknown. */
function assign(w: RawWord, name: string, vars: ShellVars): void {
  const first = w.parts[0] as { t: 'lit'; s: string; quoted: boolean };
  const rest = [{ ...first, s: first.s.slice(name.length + 1) }, ...w.parts.slice(1)];
  const value = expandString(rest, vars);
  if (value === undefined) vars.delete(name);
  else vars.set(name, value);
}

/** The effect of a command on the script's variables. */
function sideEffects(cmd: string, args: RawWord[], vars: ShellVars): void {
  if (DECLARE.has(cmd)) {
    for (const a of args) {
      const name = assignmentName(a);
      if (name) assign(a, name, vars);
    }
  } else if (cmd === 'unset') {
    for (const a of args) if (!a.text.startsWith('-')) vars.set(a.text, null);
  } else if (cmd === 'for' && args[0]) {
    vars.delete(args[0].text);
  } else if (cmd === 'read' || cmd === 'getopts') {
    for (const a of args) if (!a.text.startsWith('-')) vars.delete(a.text);
  }
}

/** Splits a script into simple commands with their words expanded against VARS (which the script updates). */
export function shellCommands(text: string, vars: ShellVars = new Map()): ShellCommand[] {
  const out: ShellCommand[] = [];
  for (const raw of rawShellCommands(text)) {
    let k = 0;
    while (k < raw.length && RESERVED.has(raw[k].text)) k++;
    const start = k;
    while (k < raw.length && assignmentName(raw[k])) k++;
    if (k === raw.length) {
      // Only assignments: they set the shell's variables for what follows.
      for (const w of raw.slice(start)) assign(w, assignmentName(w) as string, vars);
      continue;
    }
    // Prefix assignments (`X=1 cmd`) reach only the command's environment, not its expansion.
    const cmd: ShellCommand = { words: [], unresolved: new Set() };
    for (const w of raw.slice(k)) {
      const fields = expandFields(w.parts, vars);
      if (fields === undefined) {
        cmd.unresolved.add(cmd.words.length);
        cmd.words.push(w.text);
      } else cmd.words.push(...fields);
    }
    sideEffects(cmd.words[0], raw.slice(k + 1), vars);
    if (cmd.words.length > 0) out.push(cmd);
  }
  return out;
}
