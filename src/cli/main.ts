// The CLI entry: global flags, command dispatch, and the single place errors become one line and an exit code.
import { toolVersion } from '../core/index.js';
import { commands } from './commands/index.js';
import { helpText, parseCommandArgs, type Command, type Parsed } from './command.js';
import { installInterrupts } from './interrupt.js';
import { Output } from './output.js';
import { reportError } from './report-error.js';

function topHelp(): string {
  const lines = ['Usage: mlbuild COMMAND [OPTIONS]', '', 'Trustworthy ML service images: model attestations, model-aware SBOMs, signed referrers, verification before pull.', '', 'Commands:'];
  for (const c of commands) lines.push(`  ${c.name.padEnd(16)} ${c.summary.split('. ')[0].replace(/\.$/, '')}`);
  lines.push('', 'Global options: --json, -q/--quiet, -v/--verbose, -h/--help, --version; before the command: -H/--host HOST (the engine)', 'Exit codes: 0 ok, 1 verification or policy failed, 2 usage or input error, 3 environment error.', "Run 'mlbuild COMMAND --help' for a command's options.");
  return `${lines.join('\n')}\n`;
}

const LEADING_GLOBALS = new Set(['--json', '-q', '--quiet', '-v', '--verbose']);

function commandWords(argv: string[]): number {
  return commands.some((c) => c.name === `${argv[0]} ${argv[1]}`) ? 2 : 1;
}

/** Finds the command for argv, allowing two-word commands ("attest model"). */
function findCommand(argv: string[]): { cmd: Command; rest: string[] } | undefined {
  const two = commands.find((c) => c.name === `${argv[0]} ${argv[1]}`);
  if (two) return { cmd: two, rest: argv.slice(2) };
  const one = commands.find((c) => c.name === argv[0]);
  return one ? { cmd: one, rest: argv.slice(1) } : undefined;
}

/** Runs the CLI and returns the exit code. */
export async function main(rawArgv: string[]): Promise<number> {
  // Global flags may come before the command ("mlbuild --json sbom X"): move them after it.
  const lead: string[] = [];
  let argv = rawArgv;
  let host: string | undefined;
  let hostFlag = false;
  while (argv.length > 0 && (LEADING_GLOBALS.has(argv[0]) || argv[0] === '-H' || argv[0] === '--host')) {
    // -H/--host HOST before the command picks the engine, as `docker -H HOST …` does (mlbuild and the docker CLI alike).
    if (argv[0] === '-H' || argv[0] === '--host') {
      hostFlag = true;
      host = argv[1];
      argv = argv.slice(2);
    } else {
      lead.push(argv[0]);
      argv = argv.slice(1);
    }
  }
  if (lead.length > 0 && argv.length > 0) argv = [...argv.slice(0, commandWords(argv)), ...lead, ...argv.slice(commandWords(argv))];
  const out = new Output();
  out.verbose = rawArgv.includes('-v') || rawArgv.includes('--verbose');
  // Set before parsing, so that usage errors (unknown command or flag, missing value) are JSON too.
  out.json = rawArgv.includes('--json');
  const usage = (message: string): number => out.failure({ code: 'USAGE', exitCode: 2, message });
  if (hostFlag) {
    if (!host || host.startsWith('-')) return usage('-H/--host needs a value (unix://PATH, tcp://HOST:PORT or ssh://[USER@]HOST[:PORT])');
  }
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      if (argv.length === 0 && out.json) return usage('no command given (see mlbuild --help)');
      process.stdout.write(topHelp());
      return argv.length === 0 ? 2 : 0;
    }
    if (argv[0] === '--version' || argv[0] === 'version') {
      if (out.json) out.resultJson({ version: toolVersion() });
      else process.stdout.write(`mlbuild ${toolVersion()}\n`);
      return 0;
    }
    const found = findCommand(argv);
    if (!found) {
      const group = commands.filter((c) => c.name.startsWith(`${argv[0]} `));
      const bare = argv.length === 1 || (argv.length === 2 && argv[1] === '--json');
      if (group.length > 0 && out.json && bare) return usage(`${argv[0]}: missing subcommand (${group.map((c) => c.name).join(', ')})`);
      if (group.length > 0 && (bare || argv[1] === '--help' || argv[1] === '-h')) {
        process.stdout.write(`Usage: mlbuild ${argv[0]} SUBCOMMAND\n\n${group.map((c) => `  ${c.name.padEnd(16)} ${c.summary.split('. ')[0]}`).join('\n')}\n`);
        return bare ? 2 : 0;
      }
      return usage(`unknown command '${argv.slice(0, group.length > 0 ? 2 : 1).join(' ')}' (see mlbuild --help)`);
    }
    const { cmd, rest } = found;
    if (!cmd.rawArgs && (rest.includes('--help') || rest.includes('-h'))) {
      process.stdout.write(helpText(cmd));
      return 0;
    }
    const parsed = cmd.rawArgs ? { values: {}, positionals: [] } : parseCommandArgs(cmd, rest);
    if (!cmd.rawArgs) out.json = parsed.values.json === true;
    out.quiet = parsed.values.quiet === true;
    return await runCommand(cmd, { ...parsed, raw: rest }, out, host);
  } catch (err) {
    return reportError(err, out);
  }
}

/** Runs one command with SIGINT/SIGTERM turned into its AbortSignal; an interrupted run ends the process with its code. */
async function runCommand(cmd: Command, args: Parsed & { raw: string[] }, out: Output, host: string | undefined): Promise<number> {
  const interrupts = installInterrupts(cmd.cancellable === true);
  let code: number;
  try {
    code = await cmd.run(args, out, { host, signal: interrupts.signal });
  } catch (err) {
    code = reportError(err, out);
  } finally {
    interrupts.dispose();
  }
  if (interrupts.code() !== undefined) {
    // Work the command abandoned must not keep the process alive: exit once stdout has been flushed.
    const exitCode = code;
    process.stdout.write('', () => process.exit(exitCode));
  }
  return code;
}

// A closed stdout (e.g. `| head`) ends the process quietly instead of crashing with EPIPE.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
