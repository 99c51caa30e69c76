// The `attest image` workflow: open the image, bind it to its registry manifest (config digest checked), scan it
// into a CycloneDX SBOM, sign an in-toto statement over it, store the bundle, and optionally attach it as a referrer.
import { buildStatement, CYCLONEDX_PREDICATE_TYPE, type Signer, type StoreEntry } from '../attest/index.js';
import type { BundleJson } from '../attest/bundle.js';
import { fail, noEvents, sha256Digest, type Digest, type EventSink } from '../core/index.js';
import type { DockerEngine } from '../docker/engine.js';
import { openImage } from '../image/open.js';
import { formatPlatform, parsePlatform } from '../image/platform.js';
import { RegistryClient, type RegistryClientOptions } from '../registry/index.js';
import { toCycloneDx } from '../sbom/cyclonedx.js';
import type { FilesMode } from '../sbom/inventory.js';
import { resolveImageSubject, type ImageSubject } from './image-subject.js';
import type { ModelStore } from './model-store.js';
import { publishAttestation, type PublishedReferrer } from './referrer.js';
import { openRegistryImage } from '../image/sources/registry.js';
import { inventoryOf, now } from './sbom.js';

/** Options of attestImage. */
export interface AttestImageOptions {
  signer: Signer;
  /** Where the bundle is kept; omitted: not stored. */
  store?: ModelStore;
  /** Attach the bundle to the image manifest as an OCI referrer. */
  push?: boolean;
  /** `os/arch[/variant]` for multi-platform images. */
  platform?: string;
  files?: FilesMode;
  cacheDir?: string | false;
  registry?: RegistryClientOptions;
  /** The engine for `docker:` and bare targets, made on first use. */
  engine?: () => DockerEngine;
  /** The SBOM timestamp's clock (the wiring honours SOURCE_DATE_EPOCH); default now. */
  sbomTime?: () => Date;
  events?: EventSink;
}

/** What attestImage produced. */
export interface AttestImageResult {
  target: string;
  imageId: Digest;
  subject: ImageSubject;
  sbom: string;
  counts: { packages: number; models: number; datasets: number; files: number };
  bundle: BundleJson;
  bundleDigest: Digest;
  entry?: StoreEntry;
  referrer?: PublishedReferrer;
}

/** Attests an image; with `push` the subject must be a registry manifest (USAGE otherwise), nothing is attached on error. */
export async function attestImage(target: string, opts: AttestImageOptions): Promise<AttestImageResult> {
  const events = opts.events ?? noEvents;
  const client = new RegistryClient({ ...opts.registry, events: opts.registry?.events ?? events });
  const platform = opts.platform ? parsePlatform(opts.platform) : undefined;
  const image = await openImage(target, { platform, engine: opts.engine, openRegistry: (ref, t, p) => openRegistryImage(ref, t, p, { ...opts.registry, events }) });
  try {
    const imagePlatform = opts.platform ?? (image.config.os && image.config.architecture ? formatPlatform({ os: image.config.os, architecture: image.config.architecture, variant: image.config.variant }) : undefined);
    const subject = await resolveImageSubject(client, image, target, imagePlatform);
    if (opts.push && subject.kind !== 'manifest') {
      fail('USAGE', `cannot attach an attestation to ${target}: ${subject.reason}`, { hint: 'push the image first (docker push), then run attest image --push' });
    }
    events({ type: 'step', name: 'scanning', detail: target });
    const { inventory } = await inventoryOf(image, { cacheDir: opts.cacheDir, events });
    if (subject.kind === 'manifest') {
      inventory.image.manifestDigest = subject.descriptor.digest;
      const pinned = `${subject.name}@${subject.descriptor.digest}`;
      if (!inventory.image.repoDigests.includes(pinned)) inventory.image.repoDigests = [...inventory.image.repoDigests, pinned];
    }
    const sbom = toCycloneDx(inventory, { files: opts.files ?? 'all', timestamp: (opts.sbomTime ?? now)() });
    const digest = subject.kind === 'manifest' ? subject.descriptor.digest : subject.digest;
    const statement = buildStatement([{ name: subject.name, digest }], CYCLONEDX_PREDICATE_TYPE, JSON.parse(sbom) as Record<string, unknown>);
    events({ type: 'step', name: 'signing', detail: `${subject.name}@${digest}` });
    const bundle = await opts.signer.signStatement(statement);
    const bundleBytes = Buffer.from(JSON.stringify(bundle));
    const entry = opts.store ? await opts.store.put(bundleBytes) : undefined;
    let referrer: PublishedReferrer | undefined;
    if (opts.push && subject.kind === 'manifest') {
      events({ type: 'step', name: 'attaching', detail: `${subject.name}@${digest}` });
      referrer = await publishAttestation(client, subject.ref, subject.descriptor, bundleBytes, CYCLONEDX_PREDICATE_TYPE);
    }
    const c = inventory.catalog;
    return {
      target,
      imageId: image.imageId,
      subject,
      sbom,
      counts: { packages: c.packages.length, models: c.models.length, datasets: c.datasets.length, files: inventory.files.length },
      bundle,
      bundleDigest: sha256Digest(bundleBytes),
      entry,
      referrer,
    };
  } finally {
    await image.close();
  }
}
