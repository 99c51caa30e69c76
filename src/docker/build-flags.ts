// The flags of `docker build` (classic builder and BuildKit/buildx), so mlbuild can pass them through untouched.
import { fail } from '../core/index.js';

// Flags that take a value (long names, and the short aliases docker accepts).
const VALUE_FLAGS = new Set([
  '--add-host', '--allow', '--annotation', '--attest', '--build-arg', '--build-context', '--builder', '--cache-from',
  '--cache-to', '--call', '--cgroup-parent', '--cpu-period', '--cpu-quota', '--cpu-shares', '--cpuset-cpus',
  '--cpuset-mems', '--file', '--iidfile', '--isolation', '--label', '--memory', '--memory-swap', '--metadata-file',
  '--network', '--no-cache-filter', '--output', '--platform', '--progress', '--provenance', '--sbom', '--secret',
  '--security-opt', '--shm-size', '--ssh', '--tag', '--target', '--ulimit',
  '-c', '-f', '-m', '-o', '-t',
]);
// Flags without a value.
const BOOL_FLAGS = new Set([
  '--compress', '--disable-content-trust', '--force-rm', '--load', '--no-cache', '--pull', '--quiet', '--rm',
  '--squash', '--stream', '--check', '--debug', '-q',
]);
const SHORT_TO_LONG: Record<string, string> = { '-c': '--cpu-shares', '-f': '--file', '-m': '--memory', '-o': '--output', '-t': '--tag', '-q': '--quiet' };

/** mlbuild's own build flags (not passed to docker); booleans have no value. */
export const MLBUILD_BUILD_FLAGS: Record<string, 'value' | 'bool' | 'multi'> = {
  '--key': 'value',
  '--keyless': 'bool',
  '--policy': 'value',
  '--store': 'value',
  '--push': 'bool',
  '--sbom-out': 'value',
  '--allow-unattested': 'bool',
  '--trust-key': 'multi',
  '--insecure-registry': 'multi',
  '--json': 'bool',
  '--verbose': 'bool',
  '-v': 'bool',
  '--docker': 'value',
  '--host': 'value',
  '-H': 'value',
};

/** The parsed command line of `mlbuild build`. */
export interface BuildArgs {
  /** Docker's flags, in order, without -t/--tag and --iidfile (mlbuild tags after its checks). */
  dockerFlags: string[];
  /** The tags requested with -t. */
  tags: string[];
  /** --iidfile the user asked for (written after success). */
  iidfile?: string;
  /** The build context (a folder, a URL, or "-"). */
  context: string;
  /** Values of docker flags mlbuild also reads (last value wins; repeated ones collected). */
  docker: { file?: string; target?: string; buildArgs: Record<string, string>; quiet: boolean; platform?: string };
  /** mlbuild's own flags. */
  own: Record<string, string | boolean | string[]>;
}

/**
 * Refuses exporters that would write or push the build's result before mlbuild has checked it: only the engine's
 * own image store (type=docker, or type=image without push) is allowed; local, tar, oci, registry and push=true are
 * not. Export after the check instead (docker save, docker push of the tag mlbuild applies).
 */
export function checkOutput(value: string): void {
  const fields = new Map<string, string>();
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim().toLowerCase());
  }
  // A bare value (`-o ./out`, `-o -`) is the local or tar exporter.
  const type = fields.get('type') ?? (value.includes('=') ? 'local' : value === '-' ? 'tar' : 'local');
  const pushes = ['true', '1'].includes(fields.get('push') ?? '');
  if ((type === 'docker' || type === 'image') && !pushes) return;
  fail('USAGE', `build: --output ${value}: the ${type}${pushes ? ' (push=true)' : ''} exporter would ship the build unchecked; mlbuild builds into the engine only (export or push after its check: docker save, mlbuild build --push)`);
}

/** Splits `mlbuild build` arguments into docker's (passed through verbatim) and mlbuild's own. */
export function parseBuildArgs(argv: string[], env: NodeJS.ProcessEnv = {}): BuildArgs {
  const out: BuildArgs = { dockerFlags: [], tags: [], context: '', docker: { buildArgs: {}, quiet: false }, own: {} };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    const own = MLBUILD_BUILD_FLAGS[name];
    if (own) {
      const key = name === '-H' ? 'host' : name === '-v' ? 'verbose' : name.slice(2);
      if (own === 'bool') out.own[key] = true;
      else {
        const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
        if (v === undefined) fail('USAGE', `build: ${name} needs a value`);
        if (own === 'multi') out.own[key] = [...((out.own[key] as string[]) ?? []), v];
        else out.own[key] = v;
      }
      continue;
    }
    // Short flags with attached values (-tfoo, -fDockerfile) and combined booleans are rare; support -tX / -fX.
    const short = /^-([tfcmo])(.+)$/.exec(a);
    const flag = short ? `-${short[1]}` : name;
    if (VALUE_FLAGS.has(flag)) {
      const v = short ? short[2] : eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined) fail('USAGE', `build: flag ${flag} needs a value`);
      const long = SHORT_TO_LONG[flag] ?? flag;
      if (long === '--output') checkOutput(v);
      if (long === '--tag') out.tags.push(v);
      else if (long === '--iidfile') out.iidfile = v;
      else {
        out.dockerFlags.push(long, v);
        if (long === '--file') out.docker.file = v;
        if (long === '--target') out.docker.target = v;
        if (long === '--platform') out.docker.platform = v;
        if (long === '--build-arg') {
          const k = v.indexOf('=');
          if (k > 0) out.docker.buildArgs[v.slice(0, k)] = v.slice(k + 1);
          else if (env[v] !== undefined) out.docker.buildArgs[v] = env[v] as string;
        }
      }
      continue;
    }
    if (BOOL_FLAGS.has(name)) {
      out.dockerFlags.push(a);
      if (name === '-q' || name === '--quiet') out.docker.quiet = true;
      continue;
    }
    if (a.startsWith('-') && a !== '-') fail('USAGE', `build: unknown flag: ${a}`);
    positional.push(a);
  }
  if (positional.length !== 1) fail('USAGE', `build: "mlbuild build" requires exactly 1 argument (the context), got ${positional.length}`);
  out.context = positional[0];
  return out;
}
