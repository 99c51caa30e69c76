// After the build, before any tag: the image's models (every one, wherever it lies) are matched with signed model
// attestations and checked file by file; the Dockerfile's fetches must have landed; then the policy decides.
import type { VerifyOptions } from '../attest/index.js';
import type { InvModel } from '../catalog/index.js';
import { noEvents, type EventSink } from '../core/index.js';
import type { ModelFetch } from '../docker/index.js';
import type { DockerEngine } from '../docker/engine.js';
import { openImage } from '../image/open.js';
import type { MergedTree } from '../image/merge.js';
import { allowUnattested, ATLAS, defaultFilesPolicy, defaultPolicy, evaluatePolicy, fileFindings, type Policy } from '../policy/index.js';
import { contentFilesOfView, gateSetsOf, judgeContent, withAllowance } from './content-gate.js';
import { atlasOf } from './image-findings.js';
import type { Inventory } from '../sbom/inventory.js';
import type { ImageFinding } from './image-findings.js';
import { matchModels, policyFormatOf, type SbomModel } from './image-models.js';
import { classifyContent } from '../catalog/formats/classify.js';
import type { ModelStore } from './model-store.js';
import { inventoryOf, settleOwnership } from './sbom.js';
import { claimContextFiles, claimModelFiles } from '../catalog/owners/owners.js';

/** The outcome of the post-build check. */
export interface BuildCheck {
  inventory: Inventory;
  tree: MergedTree;
  /** Problems that stop the build from being tagged. */
  findings: ImageFinding[];
  /** Problems reported but allowed (e.g. unattested models with --allow-unattested). */
  warnings: ImageFinding[];
  notes: string[];
}

/** Options of the check. */
export interface BuildCheckOptions {
  store: ModelStore;
  trust: VerifyOptions;
  policy?: Policy;
  allowUnattested: boolean;
  fetches: Array<ModelFetch & { subjectDigest?: string }>;
  cacheDir?: string | false;
  /** The engine the image was built in. */
  engine: DockerEngine;
  events?: EventSink;
  /** Digests of the build context's files: files copied from it are owned by "context" (matched by digest). */
  contextFiles?: Promise<ReadonlySet<string>>;
}

const strip = (p: string) => p.replace(/^\/+/, '').replace(/\/+$/, '');

function within(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir}/`);
}

/** The fetch (from the Dockerfile analysis) that put a model where it is, when its destination is known. */
function fetchFor(m: InvModel, fetches: BuildCheckOptions['fetches']): BuildCheckOptions['fetches'][number] | undefined {
  return fetches.find((f) => f.dest && (within(m.path, strip(f.dest)) || within(strip(f.dest), m.path)));
}

function sbomModel(m: InvModel, fetch: BuildCheckOptions['fetches'][number] | undefined): SbomModel {
  const rel = (p: string) => (p === m.path ? p.slice(p.lastIndexOf('/') + 1) : p.slice(m.path.length + 1));
  return {
    name: m.name,
    path: m.path,
    // A COPY's source is a context path, not a URL: its attestation is found by the digest checked before the build.
    source: m.source?.url ?? (fetch && fetch.kind !== 'copy' ? fetch.source : undefined),
    attestedDigest: fetch?.kind === 'copy' ? fetch.subjectDigest : undefined,
    commit: m.source?.commit ?? (fetch?.revision && /^[a-f0-9]{40}$/.test(fetch.revision) ? fetch.revision : undefined),
    license: m.licenses[0] ?? null,
    files: m.files.map((f) => ({ path: rel(f.path), digest: f.sha256 ?? '', size: f.size, format: policyFormatOf(classifyContent(f.path, f.size, f.facts)?.policyFormats ?? []) })),
  };
}

/** Where a model finding points in the image: the model folder (or the file), its layer and build step. */
function whereInImage(f: { model?: string; path?: string }, models: InvModel[], stepOf: (layer: number) => string | undefined): { path?: string; layer?: number; step?: string } {
  const m = models.find((x) => x.name === f.model);
  if (!m) return {};
  const file = f.path ? m.files.find((x) => x.path === `${m.path}/${f.path}` || x.path === f.path) : undefined;
  const layer = file?.layer ?? (m.files.length > 0 ? Math.max(...m.files.map((x) => x.layer)) : undefined);
  return { path: f.path ?? m.path, layer, step: layer !== undefined ? stepOf(layer) : undefined };
}

/** Checks a built image (by ID) against the attestation store and the policy. */
export async function checkBuiltImage(imageId: string, opts: BuildCheckOptions): Promise<BuildCheck> {
  const events = opts.events ?? noEvents;
  const image = await openImage(`docker:${imageId}`, { engine: () => opts.engine });
  try {
    events({ type: 'step', name: 'scanning the image', detail: imageId.slice(0, 19) });
    const { inventory, tree } = await inventoryOf(image, { cacheDir: opts.cacheDir, events });
    const models = inventory.catalog.models;
    const notes: string[] = [];
    const found: ImageFinding[] = [];
    const matched = await matchModels(models.map((m) => sbomModel(m, fetchFor(m, opts.fetches))), [], { store: opts.store, trust: opts.trust, notes, findings: found, fetchedSources: [...new Set(opts.fetches.filter((f) => f.kind !== 'copy').map((f) => f.source))] });
    matched.forEach((r, i) => {
      const a = r.attestation;
      if (!a) return;
      const s = a.signer;
      const bundleHex = /([a-f0-9]{64})\.sigstore\.json/.exec(a.origin)?.[1];
      models[i].attestation = {
        subjectDigest: a.subjectDigest,
        bundleDigest: bundleHex && `sha256:${bundleHex}`,
        source: r.policy.source ?? undefined,
        commit: r.policy.commit ?? undefined,
        signer: s.kind === 'key' ? `key:${s.hint}` : `keyless:${s.identity} (${s.issuer})`,
      };
    });
    // A fetch that lands nowhere in the final image (a builder stage's, or one a later step removed) is no failure
    // itself: what the final image holds is judged below, file by file, by content.
    for (const f of opts.fetches) {
      if (!f.dest || models.some((m) => within(m.path, strip(f.dest as string)) || within(strip(f.dest as string), m.path))) continue;
      notes.push(`line ${f.line} fetched ${f.source} to ${f.dest}; the final image holds no model there`);
    }
    const policy = opts.policy ?? { ...defaultPolicy(), file: '(build default)' };
    const effective = opts.allowUnattested ? { ...policy, models: { ...policy.models, requireAttestation: false } } : policy;
    const policyFindings = evaluatePolicy(effective, { models: matched.map((m) => m.policy) });
    const layers = inventory.image.layers;
    const allowed = allowUnattested(policy);
    const warnings: ImageFinding[] = [];
    for (const f of policyFindings) {
      const x = withAllowance({ ...f, fatal: true, atlas: f.atlas ?? atlasOf(f.kind), ...whereInImage(f, models, (i) => layers[i]?.createdBy) }, matched, allowed);
      (x.fatal ? found : warnings).push(x);
    }
    const gate = judgeContent({
      files: contentFilesOfView(tree),
      ...gateSetsOf(matched),
      requireAttestation: effective.models.requireAttestation,
      forbidFormats: effective.models.forbidFormats,
      allowed,
      unopenedFatal: policy.files?.unopenedArchives === 'deny',
      stepOf: (i) => layers[i]?.createdBy,
    });
    found.push(...gate.filter((f) => f.fatal));
    warnings.push(...gate.filter((f) => !f.fatal));
    // Every file gets an owner: packages (checked against their own digests), attested models, the build context,
    // or none; the policy's `files` rules judge modified package files and unaccounted ones.
    if (inventory.owners) {
      matched.forEach((r, i) => {
        if (r.attestation) claimModelFiles(inventory.owners!, tree, models[i].files.map((f) => f.path), models[i].name);
      });
      if (opts.contextFiles) claimContextFiles(inventory.owners, tree, await opts.contextFiles);
      settleOwnership(inventory, tree, events);
      for (const f of fileFindings(policy.files ?? defaultFilesPolicy(), inventory.owners, tree)) {
        (f.fatal ? found : warnings).push({ ...f, layer: f.layer ?? tree.get(f.path ?? '')?.layer });
      }
    }
    if (opts.allowUnattested) {
      for (const m of matched) if (!m.attestation) warnings.push({ kind: 'unsigned', fatal: false, model: m.sbom.name, atlas: ATLAS.compromisedModel, message: `${m.sbom.name} (/${m.sbom.path}) has no attestation (allowed by --allow-unattested)` });
    }
    return { inventory, tree, findings: found.filter((f) => f.fatal), warnings, notes };
  } finally {
    await image.close();
  }
}
