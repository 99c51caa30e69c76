// Opens `registry:REF` images through the OCI client: manifest, config and layer streams checked against digests.
import { fail } from '../../core/index.js';
import { parseJson, checkConfig } from '../json.js';
import { historySteps, type Image, type ImageConfig, type Layer } from '../types.js';
import { formatPlatform, type Platform } from '../platform.js';
import { RegistryClient, parseReference, isIndex, type RegistryClientOptions } from '../../registry/index.js';

/** Opens an image in a registry; `clientOpts` passes insecure hosts, credentials and events to the client. */
export async function openRegistryImage(ref: string, target: string, platform?: Platform, clientOpts: RegistryClientOptions = {}): Promise<Image> {
  const client = new RegistryClient(clientOpts);
  const parsed = parseReference(ref);
  const resolved = await client.resolve(parsed, { platform: platform ? formatPlatform(platform) : undefined });
  const manifest = resolved.manifest;
  if (isIndex(manifest) || !manifest.config || !Array.isArray(manifest.layers)) fail('UNSUPPORTED', `${ref}: not an image manifest (${resolved.mediaType})`);
  const configBytes = await client.readBlob(parsed, manifest.config.digest, { size: manifest.config.size, maxBytes: 16 << 20 });
  const config = parseJson<ImageConfig>(configBytes, `${ref} config`);
  checkConfig(config, ref);
  if (config.rootfs.diff_ids.length !== manifest.layers.length) fail('CORRUPT_INPUT', `${ref}: layer count differs from the config's diff_ids`);
  const steps = historySteps(config);
  const layers: Layer[] = manifest.layers.map((l, index) => ({
    index,
    diffID: config.rootfs.diff_ids[index] as Layer['diffID'],
    digest: l.digest,
    mediaType: l.mediaType,
    createdBy: steps[index],
    bytes: { kind: 'stream', open: async () => client.getBlob(parsed, l.digest, { size: l.size }) },
  }));
  return {
    target,
    scheme: 'registry',
    name: parsed.repository,
    tags: parsed.tag ? [parsed.toString()] : [],
    imageId: manifest.config.digest,
    manifestDigest: resolved.digest,
    repoDigests: [`${parsed.repository}@${resolved.digest}`],
    config,
    layers,
    notes: [],
    close: async () => {},
  };
}
