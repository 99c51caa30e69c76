// `mlbuild build`: preflight (attested model fetches) → docker build, untagged → image check → tag, sign, push.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { contextDigests } from './context-digests.js';
import type { Signer, VerifyOptions } from '../attest/index.js';
import { noEvents, type EventSink } from '../core/index.js';
import { runDocker, type BuildArgs, type DockerCliOptions, type DockerEngine } from '../docker/index.js';
import type { Finding, Policy } from '../policy/index.js';
import type { RegistryClientOptions } from '../registry/index.js';
import type { FilesMode } from '../sbom/inventory.js';
import { makeTempFolder } from '../model/temp.js';
import { checkBuildInputs } from './build-inputs.js';
import { preflight } from './build-preflight.js';
import type { Published } from './build-publish.js';
import type { ImageFinding } from './image-findings.js';
import type { ModelStore } from './model-store.js';

/** Everything the build workflow needs besides the command line. */
export interface BuildContext {
  store: ModelStore;
  signer?: Signer;
  /** Who may have signed model attestations. */
  trust: VerifyOptions;
  policy?: Policy;
  allowUnattested: boolean;
  push: boolean;
  sbomOut?: string;
  files: FilesMode;
  /** The signing and store flags the printed `mlbuild attest model` commands carry (e.g. `--key K --store S`). */
  attestFlags: string;
  registry?: RegistryClientOptions;
  cacheDir?: string | false;
  /** Where docker's own output goes: 'stderr' keeps stdout clean for the --json report (default 'inherit'). */
  dockerOutput?: 'inherit' | 'stderr';
  /** The engine client (made when first needed: input errors come first) and the docker CLI to build with. */
  engine: () => DockerEngine;
  docker?: DockerCliOptions;
  /** The SBOM timestamp's clock (the wiring honours SOURCE_DATE_EPOCH). */
  sbomTime?: () => Date;
  /** Aborting stops the build: docker is signalled, or the check stops; nothing is tagged, temp files are removed. */
  signal?: AbortSignal;
  events?: EventSink;
}

/** How a build ended. */
export interface BuildReport {
  status: 'ok' | 'unattested' | 'build-failed' | 'check-failed' | 'interrupted';
  /** docker build's exit code (when it ran). */
  dockerCode?: number;
  imageId?: string;
  analysed: boolean;
  skipped?: string;
  fetches: Array<{ line: number; source: string; revision?: string; dest?: string; attested: boolean; untrusted?: boolean }>;
  /** Fetches only the run can resolve (the text as written): not checked before the build. */
  unresolved: Array<{ line: number; text: string }>;
  findings: Array<Finding | ImageFinding>;
  warnings: Array<Finding | ImageFinding>;
  models: Array<{ name: string; path: string; attested: boolean; attestation?: string }>;
  published?: Omit<Published, 'sbom'>;
}

/** Removes an image that failed its check unless something else (an older tag) holds it. */
async function discard(engine: DockerEngine, imageId: string, existed: boolean): Promise<void> {
  if (existed) return;
  try {
    const info = await engine.inspectImage(imageId);
    if ((info.RepoTags ?? []).length === 0) await engine.removeImage(imageId);
  } catch {
    // best effort: an untagged image is harmless
  }
}

/** Settles with `work`, or with 'aborted' as soon as the signal fires (the work is then abandoned). */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T | 'aborted'> {
  if (!signal) return work;
  if (signal.aborted) return Promise.resolve('aborted');
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Runs the whole build; never tags or pushes an image whose check failed, nor tags one before its SBOM is signed and stored. */
export async function runBuild(args: BuildArgs, ctx: BuildContext): Promise<BuildReport> {
  const events = ctx.events ?? noEvents;
  checkBuildInputs(args, { push: ctx.push, sbomOut: ctx.sbomOut });
  // A store path that cannot work fails now, not after the build (the signed SBOM is stored before any tag).
  if (ctx.signer) await ctx.store.prepare?.();
  const pre = await preflight({ context: args.context, file: args.docker.file, target: args.docker.target, buildArgs: args.docker.buildArgs, store: ctx.store, trust: ctx.trust, attestFlags: ctx.attestFlags, events });
  const report: BuildReport = {
    status: 'ok',
    analysed: pre.analysed,
    skipped: pre.skipped,
    fetches: pre.fetches.map((f) => ({ line: f.line, source: f.source, revision: f.revision, dest: f.dest, attested: f.attested, untrusted: f.untrusted })),
    unresolved: pre.unresolved.map((f) => ({ line: f.line, text: f.unresolved as string })),
    findings: [],
    warnings: [],
    models: [],
  };
  if (pre.findings.length > 0) {
    if (!ctx.allowUnattested) {
      report.status = 'unattested';
      report.findings = pre.findings;
      return report;
    }
    report.warnings.push(...pre.findings);
  }
  const engine = ctx.engine();
  await engine.ping();
  // Registered, so that the CLI's forced exit (a second Ctrl-C) removes it too.
  const tmp = makeTempFolder('build');
  let imageId: string | undefined;
  let existed = false;
  const interrupted = (): BuildReport => {
    report.status = 'interrupted';
    return report;
  };
  const stopHashing = new AbortController();
  try {
    const iid = join(tmp.path, 'iid');
    // The check and publish code (SBOM engine, policy/CEL, sigstore) loads while docker builds, off the critical path.
    const later = Promise.all([import('./build-check.js'), import('./build-publish.js')]);
    later.catch(() => undefined);
    // The context's file digests (which files of the image came from it) are read while docker builds, too.
    const contextFiles = contextDigests(args.context, stopHashing.signal);
    contextFiles.catch(() => undefined);
    events({ type: 'step', name: 'building', detail: args.context });
    const run = await runDocker(['build', ...args.dockerFlags, '--iidfile', iid, args.context], { ...ctx.docker, signal: ctx.signal, stdio: ctx.dockerOutput ?? 'inherit' });
    report.dockerCode = run.code;
    if (run.interrupted || ctx.signal?.aborted) return interrupted();
    if (run.code !== 0) {
      report.status = 'build-failed';
      return report;
    }
    const iidText = await readFile(iid, 'utf8');
    imageId = iidText.trim();
    report.imageId = imageId;
    const builtId = imageId;
    // Interrupted after docker finished (during the check or publish): the finally block removes temp files and the
    // untagged image; the abandoned work's result is ignored.
    const rest = await unlessAborted((async () => {
      existed = ((await engine.inspectImage(builtId)).RepoTags ?? []).length > 0;
      const [{ checkBuiltImage }, { publishBuild }] = await later;
      const check = await checkBuiltImage(builtId, { store: ctx.store, trust: ctx.trust, policy: ctx.policy, allowUnattested: ctx.allowUnattested, fetches: pre.fetches, cacheDir: ctx.cacheDir, engine, events, contextFiles });
      if (ctx.signal?.aborted) return 'aborted' as const;
      report.models = check.inventory.catalog.models.map((m) => ({ name: m.name, path: `/${m.path}`, attested: Boolean(m.attestation), attestation: m.attestation?.bundleDigest ?? m.attestation?.subjectDigest }));
      report.warnings.push(...check.warnings);
      if (check.findings.length > 0) {
        report.status = 'check-failed';
        report.findings = check.findings;
        await discard(engine, builtId, existed);
        return report;
      }
      const published = await publishBuild({
        imageId: builtId,
        tags: args.tags,
        inventory: check.inventory,
        files: ctx.files,
        signer: ctx.signer,
        store: ctx.store,
        push: ctx.push,
        sbomOut: ctx.sbomOut,
        quiet: args.docker.quiet,
        registry: ctx.registry,
        dockerOutput: ctx.dockerOutput,
        engine,
        docker: ctx.docker,
        sbomTime: ctx.sbomTime,
        signal: ctx.signal,
        events,
      });
      // docker's own bytes (the classic builder ends the ID with a newline, BuildKit does not).
      if (args.iidfile) await writeFile(args.iidfile, iidText);
      const { sbom: _sbom, ...kept } = published;
      report.published = kept;
      return report;
    })(), ctx.signal);
    if (rest === 'aborted') {
      await discard(engine, builtId, existed);
      return interrupted();
    }
    return rest;
  } finally {
    stopHashing.abort();
    await tmp.remove();
  }
}
