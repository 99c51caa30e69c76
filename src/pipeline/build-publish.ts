// After a passing check: write, sign and store the SBOM, then tag; with --push push every tag and attach the signed
// SBOM as a referrer of the pushed manifest (whose config digest must be the image that was checked).
import { buildStatement, CYCLONEDX_PREDICATE_TYPE, type Signer, type StoreEntry } from '../attest/index.js';
import { describeError, fail, isMlbuildError, sha256Digest, writeFileAtomic, type Digest, type EventSink, noEvents } from '../core/index.js';
import { runDocker, type DockerCliOptions, type DockerEngine } from '../docker/index.js';
import { openImage } from '../image/open.js';
import { RegistryClient, parseReference, type RegistryClientOptions } from '../registry/index.js';
import { toCycloneDx } from '../sbom/cyclonedx.js';
import type { FilesMode, Inventory } from '../sbom/inventory.js';
import { resolveImageSubject } from './image-subject.js';
import type { ModelStore } from './model-store.js';
import { publishAttestation } from './referrer.js';
import { now } from './sbom.js';

/** One pushed repository with its manifest digest and the referrer that carries the signed SBOM. */
export interface PushedImage {
  repository: string;
  tags: string[];
  digest: Digest;
  referrer: Digest;
  bundleDigest: Digest;
}

/** What publishing did. */
export interface Published {
  tags: string[];
  sbom: string;
  local?: { bundleDigest: Digest; entry?: StoreEntry };
  pushed: PushedImage[];
}

/** Options of publishBuild. */
export interface PublishBuildOptions {
  imageId: string;
  tags: string[];
  inventory: Inventory;
  files: FilesMode;
  signer?: Signer;
  store: ModelStore;
  push: boolean;
  sbomOut?: string;
  quiet: boolean;
  registry?: RegistryClientOptions;
  /** Where docker push's output goes when not quiet (see BuildContext.dockerOutput). */
  dockerOutput?: 'inherit' | 'stderr';
  /** The engine the image was built in, and how its docker CLI runs (for docker push). */
  engine: DockerEngine;
  docker?: DockerCliOptions;
  /** The SBOM timestamp's clock (the wiring honours SOURCE_DATE_EPOCH); default now. */
  sbomTime?: () => Date;
  signal?: AbortSignal;
  events?: EventSink;
}

/** Splits REPO[:TAG] (a port colon is not a tag separator); the tag defaults to latest. */
export function splitTag(ref: string): { repo: string; tag: string } {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) return { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { repo: ref, tag: 'latest' };
}

async function sign(signer: Signer, name: string, digest: Digest, sbom: string): Promise<Buffer> {
  const statement = buildStatement([{ name, digest }], CYCLONEDX_PREDICATE_TYPE, JSON.parse(sbom) as Record<string, unknown>);
  return Buffer.from(JSON.stringify(await signer.signStatement(statement)));
}

/** Tags the image, or says which tag failed. */
async function tagAll(engine: DockerEngine, imageId: string, tags: string[]): Promise<void> {
  for (const t of tags) {
    const { repo, tag } = splitTag(t);
    await engine.tagImage(imageId, repo, tag);
  }
}

/** Writes and signs the checked image's SBOM and stores it, then tags the image; with --push pushes every tag and
 * attaches the signed SBOM as a referrer (a referrer that cannot be attached fails: the pushed tag is unattested). */
export async function publishBuild(opts: PublishBuildOptions): Promise<Published> {
  const events = opts.events ?? noEvents;
  // The image was scanned by ID before it had tags: name it after them.
  const inv: Inventory = { ...opts.inventory, image: { ...opts.inventory.image, tags: opts.tags, name: opts.tags[0] ? splitTag(opts.tags[0]).repo : opts.inventory.image.name } };
  const sbom = toCycloneDx(inv, { files: opts.files, timestamp: (opts.sbomTime ?? now)() });
  if (opts.sbomOut) await writeFileAtomic(opts.sbomOut, sbom);
  const out: Published = { tags: opts.tags, sbom, pushed: [] };
  if (opts.signer) {
    const name = opts.tags[0] ? splitTag(opts.tags[0]).repo : 'image';
    const bundle = await sign(opts.signer, name, opts.imageId as Digest, sbom);
    out.local = { bundleDigest: sha256Digest(bundle), entry: await opts.store.put(bundle) };
  }
  // Only now, with the SBOM signed and stored, does the image get its names.
  await tagAll(opts.engine, opts.imageId, opts.tags);
  if (!opts.push) return out;
  if (!opts.signer) fail('USAGE', 'build: --push needs --key or --keyless (a pushed image carries a signed SBOM)');
  const signer = opts.signer;
  const client = new RegistryClient({ ...opts.registry, events });
  const byRepo = new Map<string, string[]>();
  for (const t of opts.tags) {
    const r = await runDocker(['push', ...(opts.quiet ? ['--quiet'] : []), t], { ...opts.docker, signal: opts.signal, stdio: opts.quiet ? 'pipe' : (opts.dockerOutput ?? 'inherit') });
    if (r.interrupted) fail('INTERRUPTED', `interrupted while pushing ${t}`);
    if (r.code !== 0) fail('REGISTRY_ERROR', `docker push ${t} failed (exit ${r.code})${r.stderr ? `: ${r.stderr.trim().split('\n').pop()}` : ''}`);
    const repo = parseReference(t).repository;
    byRepo.set(repo, [...(byRepo.get(repo) ?? []), t]);
  }
  for (const [repository, tags] of byRepo) {
    try {
      out.pushed.push(await attachPushed(client, signer, opts, inv, repository, tags, events));
    } catch (err) {
      if (isMlbuildError(err, 'INTERRUPTED')) throw err;
      fail('REGISTRY_ERROR', `pushed ${tags.join(', ')}, but the pushed tag carries no attestation: ${describeError(err)}`, { cause: err });
    }
  }
  return out;
}

/** Binds the signed SBOM to the pushed manifest of REPOSITORY (whose config digest is the checked image) and
 * attaches it as a referrer. */
async function attachPushed(client: RegistryClient, signer: Signer, opts: PublishBuildOptions, inv: Inventory, repository: string, tags: string[], events: EventSink): Promise<PushedImage> {
  // Re-read the engine's view (RepoDigests now name the pushed manifest).
  const image = await openImage(`docker:${opts.imageId}`, { engine: () => opts.engine });
  try {
    const subject = await resolveImageSubject(client, image, `docker:${tags[0]}`);
    if (subject.kind !== 'manifest') fail('REGISTRY_ERROR', `pushed ${tags[0]} but found no registry manifest for it: ${subject.reason}`);
    events({ type: 'step', name: 'signing', detail: `${repository}@${subject.descriptor.digest}` });
    const digest = subject.descriptor.digest;
    const pushedSbom = toCycloneDx({ ...inv, image: { ...inv.image, name: repository, manifestDigest: digest, repoDigests: [`${repository}@${digest}`] } }, { files: opts.files, timestamp: (opts.sbomTime ?? now)() });
    const bundle = await sign(signer, repository, digest, pushedSbom);
    await opts.store.put(bundle);
    const published = await publishAttestation(client, subject.ref, subject.descriptor, bundle, CYCLONEDX_PREDICATE_TYPE);
    return { repository, tags, digest, referrer: published.referrer.digest, bundleDigest: published.bundleDigest };
  } finally {
    await image.close();
  }
}
