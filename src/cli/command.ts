// The command model: each command declares its options once; parsing and --help come from that declaration.
import { parseArgs } from 'node:util';
import { fail } from '../core/index.js';
import type { Output } from './output.js';

/** One option of a command. */
export interface OptionSpec {
  name: string;
  short?: string;
  type: 'string' | 'boolean';
  multiple?: boolean;
  value?: string;
  help: string;
  default?: string | boolean;
}

/** Parsed options and positionals. */
export interface Parsed {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/** What main hands every command besides its arguments: the global -H host and the run's cancellation signal. */
export interface RunContext {
  host?: string;
  signal: AbortSignal;
}

/** A CLI command. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: OptionSpec[];
  /** Extra help text after the option list. */
  details?: string;
  /** Takes over argument parsing entirely (build passes docker's flags through). */
  rawArgs?: boolean;
  /** The command stops by itself when its signal is aborted (else SIGINT/SIGTERM end the process at once). */
  cancellable?: boolean;
  run(args: Parsed & { raw: string[] }, out: Output, ctx: RunContext): Promise<number>;
}

/** Options every command accepts. */
export const GLOBAL_OPTIONS: OptionSpec[] = [
  { name: 'json', type: 'boolean', help: 'machine-readable output on stdout' },
  { name: 'quiet', short: 'q', type: 'boolean', help: 'only errors on stderr' },
  { name: 'verbose', short: 'v', type: 'boolean', help: 'more detail on stderr' },
  { name: 'help', short: 'h', type: 'boolean', help: 'show this help' },
];

/** Parses argv for a command; unknown flags and missing values are USAGE errors naming the flag. */
export function parseCommandArgs(cmd: Command, argv: string[]): Parsed {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const o of [...cmd.options, ...GLOBAL_OPTIONS]) {
    options[o.name] = { type: o.type, multiple: o.multiple ?? false, ...(o.short ? { short: o.short } : {}) };
  }
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    for (const o of cmd.options) if (values[o.name] === undefined && o.default !== undefined) (values as Record<string, unknown>)[o.name] = o.default;
    return { values: values as Parsed['values'], positionals };
  } catch (err) {
    fail('USAGE', `${cmd.name}: ${(err as Error).message.split('\n')[0].replace(/\. To specify a positional.*$/, '')}`);
  }
}

/** The --help text of a command. */
export function helpText(cmd: Command): string {
  const lines = [`Usage: mlbuild ${cmd.usage}`, '', cmd.summary, ''];
  const opts = [...cmd.options, ...GLOBAL_OPTIONS];
  if (opts.length > 0) lines.push('Options:');
  for (const o of opts) {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    lines.push(`  ${flag.padEnd(30)} ${o.help}${o.multiple ? ' (repeatable)' : ''}${typeof o.default === 'string' ? ` (default ${o.default})` : ''}`);
  }
  if (cmd.details) lines.push('', cmd.details.trim());
  return `${lines.join('\n')}\n`;
}

/** A string option's value, or undefined. */
export function str(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A repeatable string option's values. */
export function strs(p: Parsed, name: string): string[] {
  const v = p.values[name];
  return Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : [];
}

/** A boolean option. */
export function bool(p: Parsed, name: string): boolean {
  return p.values[name] === true;
}
