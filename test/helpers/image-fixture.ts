// Writes test images from layer tars: `docker save` archives (legacy layout) and OCI layouts, with optional corruption.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { digestOf, makeTar } from './tar-writer.js';

/** A layer given as its (uncompressed) tar bytes plus the Dockerfile step that made it. */
export interface FixtureLayer {
  tar: Buffer;
  createdBy?: string;
}

/** The config JSON of an image with these layers (diffIDs may be overridden to simulate mismatches). */
export function configFor(layers: FixtureLayer[], diffIDs?: string[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      created: '2026-01-01T00:00:00Z',
      config: {},
      rootfs: { type: 'layers', diff_ids: diffIDs ?? layers.map((l) => digestOf(l.tar)) },
      history: layers.map((l, i) => ({ created_by: l.createdBy ?? `step ${i}`, created: '2026-01-01T00:00:00Z' })),
    }),
  );
}

/** Writes a legacy `docker save` archive; `layerBytes` may replace a layer's bytes after the config is computed. */
export async function writeDockerArchive(
  file: string,
  layers: FixtureLayer[],
  opts: { tag?: string; diffIDs?: string[]; layerBytes?: Array<Buffer | undefined> } = {},
): Promise<void> {
  const config = configFor(layers, opts.diffIDs);
  const configName = `${digestOf(config).slice(7)}.json`;
  const entries = [{ name: configName, content: config }];
  const layerNames: string[] = [];
  layers.forEach((l, i) => {
    const name = `layer${i}/layer.tar`;
    layerNames.push(name);
    entries.push({ name, content: opts.layerBytes?.[i] ?? l.tar });
  });
  const manifest = [{ Config: configName, RepoTags: [opts.tag ?? 'fixture/app:1.0'], Layers: layerNames }];
  entries.push({ name: 'manifest.json', content: Buffer.from(JSON.stringify(manifest)) });
  await writeFile(file, makeTar(entries));
}

/** Writes an OCI image layout with gzip-compressed layers (or `compress: false`). */
export async function writeOciLayout(dir: string, layers: FixtureLayer[], opts: { compress?: boolean; blobOverride?: Array<Buffer | undefined> } = {}): Promise<void> {
  const blobs = join(dir, 'blobs', 'sha256');
  await mkdir(blobs, { recursive: true });
  const put = async (b: Buffer) => {
    await writeFile(join(blobs, digestOf(b).slice(7)), b);
    return { digest: digestOf(b), size: b.length };
  };
  const config = configFor(layers);
  const layerDescs = [];
  for (const [i, l] of layers.entries()) {
    const blob = opts.compress === false ? l.tar : gzipSync(l.tar);
    const d = await put(blob);
    if (opts.blobOverride?.[i]) await writeFile(join(blobs, d.digest.slice(7)), opts.blobOverride[i] as Buffer);
    layerDescs.push({ mediaType: `application/vnd.oci.image.layer.v1.tar${opts.compress === false ? '' : '+gzip'}`, ...d });
  }
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...(await put(config)) }, layers: layerDescs }));
  const m = await put(manifest);
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...m, annotations: { 'org.opencontainers.image.ref.name': 'latest' } }] }));
}
