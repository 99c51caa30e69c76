// The one place the CLI turns flags and the process environment into the parts the workflows run on: the engine
// client, the docker CLI, registry client options, the attestation store, the signer, the trust set, the layer
// cache, the SBOM clock, the event sink and the AbortSignal. The library below never reads the environment itself.
import type { EventSink } from '../core/index.js';
import { DockerEngine } from '../docker/engine.js';
import { engineEndpoint } from '../docker/engine-endpoint.js';
import { dockerBinary, type DockerCliOptions } from '../docker/docker-cli.js';
import { defaultCacheDir } from '../image/layer-cache.js';
import type { ModelStore } from '../pipeline/model-store.js';
import { dockerConfigDir } from '../registry/docker-config.js';
import type { RegistryClientOptions } from '../registry/client.js';
import type { Signer } from '../attest/signer.js';
import type { VerifyOptions } from '../attest/verifier.js';
import { makeSigner, makeTrust, type SignerFlags, type TrustSources } from './trust.js';

/** What a command knows from its flags that shapes the wiring. */
export interface WiringFlags {
  /** -H/--host: the engine, as `docker --host` (default $DOCKER_HOST, then docker's context). */
  host?: string;
  /** build's --docker BIN (default $MLBUILD_DOCKER, /usr/bin/docker, docker). */
  docker?: string;
  /** --insecure-registry hosts. */
  insecure?: string[];
  events: EventSink;
  signal: AbortSignal;
}

/** The parts every workflow is handed (built once per command). */
export interface Wiring {
  /** The engine client, made on first use (commands that never touch the engine never resolve it). */
  engine(): DockerEngine;
  /** The docker CLI for builds and pushes, with DOCKER_HOST set when -H was given. */
  docker: DockerCliOptions;
  /** Registry client options: insecure hosts, the docker config folder for credentials, events. */
  registry: RegistryClientOptions;
  /** Opens `--store S` (a folder or oci://…), or the default store. */
  openStore(spec?: string): Promise<ModelStore>;
  /** Opens a store to read from: a folder the user named must exist. */
  openExistingStore(spec?: string): Promise<ModelStore>;
  /** The layer cache folder: $MLBUILD_CACHE_DIR, else $XDG_CACHE_HOME/mlbuild, else ~/.cache/mlbuild. */
  cacheDir: string;
  /** The SBOM clock: $SOURCE_DATE_EPOCH when set, else now. */
  sbomTime: () => Date;
  /** The signer from --key or --keyless, with the environment's secrets (key password, OIDC token, Fulcio/Rekor). */
  signer(flags: SignerFlags, command: string): Promise<Signer>;
  /** The trust set: given keys, key files, the policy's signers, a trusted root. */
  trust(from: TrustSources): Promise<VerifyOptions>;
  /** The process environment the rest was resolved from. */
  env: NodeJS.ProcessEnv;
  events: EventSink;
  signal: AbortSignal;
}

/** The SBOM timestamp: SOURCE_DATE_EPOCH (whole seconds) when set, else now. */
export function sbomTimestamp(epoch: string | undefined): Date {
  return epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date();
}

/** Registry client options: the insecure hosts, the docker config folder ($DOCKER_CONFIG, else ~/.docker), events. */
export function registryWiring(insecure: string[], events: EventSink, env: NodeJS.ProcessEnv = process.env): RegistryClientOptions {
  return { insecure, dockerConfigDir: dockerConfigDir(env), events };
}

/** Builds the wiring from the flags and the environment. */
export function makeWiring(flags: WiringFlags, env: NodeJS.ProcessEnv = process.env): Wiring {
  let engine: DockerEngine | undefined;
  const registry = registryWiring(flags.insecure ?? [], flags.events, env);
  // The store modules (and sigstore's bundle parser) load only for commands that open a store.
  const stores = async () => {
    const [{ defaultStoreDir }, m] = await Promise.all([import('../attest/store.js'), import('../pipeline/model-store.js')]);
    return { m, defaults: { defaultStore: defaultStoreDir(env), registry } };
  };
  return {
    engine: () => (engine ??= new DockerEngine(engineEndpoint(flags.host, env), env.MLBUILD_DAEMON_READ === 'export' ? 'export' : 'auto')),
    docker: { binary: dockerBinary(flags.docker ?? (env.MLBUILD_DOCKER || undefined)), env: flags.host ? { ...env, DOCKER_HOST: flags.host } : env },
    registry,
    openStore: async (spec) => stores().then(({ m, defaults }) => m.openModelStore(spec, defaults)),
    openExistingStore: async (spec) => stores().then(({ m, defaults }) => m.openExistingModelStore(spec, defaults)),
    cacheDir: defaultCacheDir(env),
    sbomTime: () => sbomTimestamp(env.SOURCE_DATE_EPOCH),
    signer: (signerFlags, command) => makeSigner(signerFlags, command, env),
    trust: makeTrust,
    env,
    events: flags.events,
    signal: flags.signal,
  };
}

/** The wiring of one command run: the global -H (or the command's own --host), events to the output, the run's signal. */
export function wiringFor(ctx: { host?: string; signal: AbortSignal }, events: EventSink, flags: Partial<Pick<WiringFlags, 'host' | 'docker' | 'insecure'>> = {}): Wiring {
  return makeWiring({ host: flags.host ?? ctx.host, docker: flags.docker, insecure: flags.insecure, events, signal: ctx.signal });
}
