// Before the build: every model a Dockerfile step fetches must have an attestation in the store, else the build
// does not start; each finding names the step and the exact `mlbuild attest model` command to run.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { folderSubjectDigest } from '../attest/model-statement.js';
import type { StoreQuery } from '../attest/store.js';
import { verifyBundle, type VerifyOptions } from '../attest/verifier.js';
import { fail, isMlbuildError, noEvents, warn, type EventSink } from '../core/index.js';
import { findModelFetches, parseDockerfile, type ModelFetch } from '../docker/index.js';
import { scanModel } from '../model/index.js';
import type { Finding } from '../policy/finding.js';
import { contextHoldsModel, dockerfilePath } from './build-context.js';
import { isRemoteContext } from './build-inputs.js';
import type { ModelStore } from './model-store.js';

/** What the analysis found: the fetches (with their attestation lookups) and findings for unattested ones. */
export interface Preflight {
  analysed: boolean;
  /** Why the Dockerfile was not analysed (remote context, stdin, unparsable: docker reports its own errors). */
  skipped?: string;
  /** Each fetch, whether the store has a trusted attestation of it (or only untrusted ones), and for a COPY the
   * content digest the attestation must have. Fetches only the run can resolve are not listed (see `unresolved`). */
  fetches: Array<ModelFetch & { attested: boolean; untrusted?: boolean; subjectDigest?: string }>;
  /** Fetches whose source only the run can tell: no refusal before the build, the post-build check judges them. */
  unresolved: ModelFetch[];
  findings: Finding[];
}

/** The `mlbuild attest model` command that attests a fetch, with the signing and store flags of the build. */
function attestCommand(f: ModelFetch, contextDir: string, attestFlags: string): string {
  const local = join(contextDir, f.source);
  const src = f.kind === 'copy' ? `${statSync(local).isFile() ? 'file' : 'dir'}:${local}` : `git:${f.source}${f.revision ? `@${f.revision}` : ''}`;
  const include = f.files?.length ? f.files.map((x) => ` --include ${x}`).join('') : '';
  return `mlbuild attest model ${src}${include} ${attestFlags}`.trim();
}

/** Whether any attestation found verifies with the trusted signers; `untrusted` when some exist but none does. */
async function judge(store: ModelStore, q: StoreQuery | undefined, trust: VerifyOptions): Promise<{ attested: boolean; untrusted?: boolean }> {
  const entries = q?.entries ?? [];
  for (const entry of entries) {
    try {
      verifyBundle((await store.readBundle(entry)).bytes, trust);
      return { attested: true };
    } catch (err) {
      if (!isMlbuildError(err)) throw err;
    }
  }
  return entries.length > 0 ? { attested: false, untrusted: true } : { attested: false };
}

async function copyDigest(contextDir: string, rel: string): Promise<string | undefined> {
  const root = join(contextDir, rel);
  const isFile = statSync(root).isFile();
  const scan = await scanModel(isFile ? join(root, '..') : root, isFile ? { only: [rel.split('/').pop() as string] } : {});
  return folderSubjectDigest(scan.files);
}

/** Looks a fetched source up by URL; a URL that cannot be parsed is an input error naming the step. */
async function lookup(store: ModelStore, f: ModelFetch) {
  try {
    return await store.findBySource(f.source, f.revision);
  } catch (err) {
    if (isMlbuildError(err, 'USAGE') || isMlbuildError(err, 'BAD_TARGET')) {
      fail('BAD_DOCKERFILE', `line ${f.line} \`${f.instruction.slice(0, 120)}\`: cannot parse the model source ${JSON.stringify(f.source)}: ${err.message}`);
    }
    throw err;
  }
}

/** Analyses the Dockerfile of a local context and looks each model fetch up in the store. */
export async function preflight(opts: { context: string; file?: string; target?: string; buildArgs: Record<string, string>; store: ModelStore; trust: VerifyOptions; attestFlags: string; events?: EventSink }): Promise<Preflight> {
  const events = opts.events ?? noEvents;
  const out: Preflight = { analysed: false, fetches: [], findings: [], unresolved: [] };
  if (isRemoteContext(opts.context)) {
    out.skipped = 'the build context is not a local folder';
    return out;
  }
  const path = dockerfilePath(opts.context, opts.file);
  if (path === '-' || !existsSync(path)) {
    out.skipped = `no Dockerfile to analyse at ${path}`;
    return out;
  }
  let fetches: ModelFetch[];
  try {
    const df = parseDockerfile(readFileSync(path, 'utf8'), path);
    const targetStage = opts.target ? df.stages.find((s) => s.name === opts.target)?.index : undefined;
    fetches = findModelFetches(df, { buildArgs: opts.buildArgs, targetStage, isModelPath: (p) => contextHoldsModel(opts.context, p) });
  } catch (err) {
    if (!isMlbuildError(err, 'BAD_DOCKERFILE')) throw err;
    out.skipped = `${err.message} (left to docker to report)`;
    return out;
  }
  out.analysed = true;
  for (const f of fetches) {
    if (f.unresolved) {
      out.unresolved.push(f);
      warn(events, `line ${f.line} \`${f.instruction.slice(0, 120)}\`: ${f.unresolved} is only known when the step runs; not checked before the build (the post-build model check judges what lands)`);
      continue;
    }
    // A downloaded file (wget/curl/ADD URL) is attested as a file: it is matched by content after the build.
    if (f.kind === 'url') {
      out.fetches.push({ ...f, attested: false });
      continue;
    }
    const digest = f.kind === 'copy' ? await copyDigest(opts.context, f.source) : undefined;
    const q = f.kind === 'copy' ? (digest ? await opts.store.findBySubject(digest) : undefined) : await lookup(opts.store, f);
    const { attested, untrusted } = await judge(opts.store, q, opts.trust);
    out.fetches.push({ ...f, attested, untrusted, subjectDigest: digest });
    if (!attested) {
      const has = untrusted ? 'which is attested in' : 'which has no attestation in';
      out.findings.push({
        kind: 'unsigned',
        model: f.source,
        message: `line ${f.line} \`${f.instruction.slice(0, 120)}\` fetches ${f.source}${f.revision ? `@${f.revision}` : ''}, ${has} ${opts.store.location}${untrusted ? ' only by an untrusted key' : ''}; run: ${attestCommand(f, opts.context, opts.attestFlags)}`,
      });
    }
  }
  return out;
}
