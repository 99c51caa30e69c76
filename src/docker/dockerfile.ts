// A Dockerfile parser for analysis: instructions with line numbers, stages, flags, and ARG/ENV substitution.
import { fail } from '../core/index.js';

/** One instruction, continuation lines joined, with its stage and source line. */
export interface Instruction {
  line: number;
  /** Upper-case instruction name (RUN, COPY, FROM…). */
  cmd: string;
  /** Flags before the arguments (`--from=build`, `--chown=…`). */
  flags: Record<string, string>;
  /** The arguments after the flags, as written (shell form) — variables substituted by `analyze`. */
  args: string;
  /** Exec-form (JSON array) arguments, when used. */
  json?: string[];
  /** Heredoc bodies attached to this instruction (BuildKit `<<EOF`). */
  heredocs: string[];
  /** Index of the stage (FROM) this instruction belongs to; -1 before the first FROM. */
  stage: number;
  /** The instruction as written, on one line, for messages. */
  text: string;
}

/** A build stage. */
export interface Stage {
  index: number;
  name?: string;
  base: string;
  line: number;
}

/** A parsed Dockerfile. */
export interface Dockerfile {
  instructions: Instruction[];
  stages: Stage[];
}

function parseFlags(rest: string): { flags: Record<string, string>; args: string } {
  const flags: Record<string, string> = {};
  let s = rest;
  for (;;) {
    const m = /^--([a-zA-Z-]+)(?:=("[^"]*"|\S*))?\s*/.exec(s);
    if (!m) break;
    flags[m[1]] = (m[2] ?? 'true').replace(/^"(.*)"$/, '$1');
    s = s.slice(m[0].length);
  }
  return { flags, args: s.trim() };
}

/** Parses Dockerfile text; BAD_DOCKERFILE for text that is not a Dockerfile at all. */
export function parseDockerfile(text: string, file = 'Dockerfile'): Dockerfile {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let escape = '\\';
  const instructions: Instruction[] = [];
  const stages: Stage[] = [];
  let i = 0;
  // Parser directives: only at the very top, before any instruction or other comment.
  for (; i < lines.length; i++) {
    const d = /^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(lines[i]);
    if (!d) break;
    if (d[1].toLowerCase() === 'escape') escape = d[2];
  }
  while (i < lines.length) {
    const start = i;
    let last = lines[i++];
    if (/^\s*(#|$)/.test(last)) continue;
    // Join continuation lines (comment lines inside a continuation are dropped, as Docker does); each physical
    // line is looked at once and joined at the end, so a long continued RUN costs linear time.
    const pieces: string[] = [];
    while (last.trimEnd().endsWith(escape) && i < lines.length) {
      pieces.push(last.trimEnd().slice(0, -escape.length));
      while (i < lines.length && /^\s*#/.test(lines[i])) i++;
      last = i < lines.length ? lines[i++].trim() : '';
    }
    pieces.push(last);
    const line = pieces.join(' ');
    const m = /^\s*([A-Za-z]+)(\s+(.*))?$/.exec(line);
    if (!m) fail('BAD_DOCKERFILE', `${file}:${start + 1}: not an instruction: ${line.trim().slice(0, 80)}`);
    const cmd = m[1].toUpperCase();
    const { flags, args } = parseFlags((m[3] ?? '').trim());
    const heredocs: string[] = [];
    for (const h of args.matchAll(/<<-?(["']?)([A-Za-z_][A-Za-z0-9_]*)\1/g)) {
      const body: string[] = [];
      while (i < lines.length && lines[i].trim() !== h[2]) body.push(lines[i++]);
      i++;
      heredocs.push(body.join('\n'));
    }
    let json: string[] | undefined;
    if (args.startsWith('[')) {
      try {
        const v = JSON.parse(args) as unknown;
        if (Array.isArray(v) && v.every((x) => typeof x === 'string')) json = v;
      } catch {
        // shell form after all
      }
    }
    if (cmd === 'FROM') {
      const parts = args.split(/\s+/);
      const asAt = parts.findIndex((p) => p.toLowerCase() === 'as');
      stages.push({ index: stages.length, base: parts[0] ?? '', name: asAt > 0 ? parts[asAt + 1] : undefined, line: start + 1 });
    }
    instructions.push({ line: start + 1, cmd, flags, args, json, heredocs, stage: stages.length - 1, text: line.trim().replace(/\s+/g, ' ') });
  }
  if (!instructions.some((x) => x.cmd === 'FROM')) fail('BAD_DOCKERFILE', `${file}: no FROM instruction`);
  return { instructions, stages };
}

/** Splits `KEY=value KEY2="v 2"` or the legacy `KEY value` form of ENV/ARG/LABEL. */
export function parseAssignments(args: string, legacyPair: boolean): Array<[string, string | undefined]> {
  const out: Array<[string, string | undefined]> = [];
  if (legacyPair && !/^[A-Za-z_][A-Za-z0-9_.-]*=/.test(args)) {
    const m = /^(\S+)\s+(.*)$/.exec(args);
    if (m) return [[m[1], m[2]]];
    return [[args.trim(), undefined]];
  }
  for (const t of args.matchAll(/([A-Za-z_][A-Za-z0-9_.-]*)(?:=("(?:[^"\\]|\\.)*"|'[^']*'|\S*))?/g)) {
    const v = t[2];
    out.push([t[1], v === undefined ? undefined : v.replace(/^"(.*)"$/s, '$1').replace(/^'(.*)'$/s, '$1').replace(/\\(.)/g, '$1')]);
  }
  return out;
}
