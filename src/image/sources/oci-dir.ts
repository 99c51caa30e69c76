// `oci-dir:PATH`: an OCI image layout folder (index.json + blobs/sha256), index and platform selection included.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, sha256Digest, parseDigest, digestHex, describeError, type Digest } from '../../core/index.js';
import { parseJson, checkConfig } from '../json.js';
import { hostPlatform, selectPlatform, type Platform } from '../platform.js';
import { historySteps, type Image, type ImageConfig, type Layer } from '../types.js';

interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: Partial<Platform>;
}

const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);

async function readBlob(dir: string, d: Descriptor, what: string): Promise<Buffer> {
  const digest = parseDigest(d.digest, `${what} descriptor digest`);
  const path = join(dir, 'blobs', 'sha256', digestHex(digest));
  const data = await readFile(path).catch((err) => fail('CORRUPT_INPUT', `${what}: blob ${digest} unreadable: ${describeError(err)}`));
  if (data.length > 16 << 20) fail('CORRUPT_INPUT', `${what}: blob ${digest} over the 16 MiB metadata cap`);
  if (sha256Digest(data) !== digest) fail('DIGEST_MISMATCH', `${what}: blob ${digest} does not match its digest`);
  return data;
}

/** Opens an OCI layout; `ref` selects by org.opencontainers.image.ref.name, `platform` within an index. */
export async function openOciDir(dir: string, target: string, ref?: string, platform?: Platform): Promise<Image> {
  const what = `oci-dir ${dir}`;
  const indexBytes = await readFile(join(dir, 'index.json')).catch((err) => fail('NOT_FOUND', `${what}: no index.json (${describeError(err)})`));
  const index = parseJson<{ manifests?: Descriptor[] }>(indexBytes, `${what} index.json`);
  if (!Array.isArray(index.manifests) || index.manifests.length === 0) fail('CORRUPT_INPUT', `${what}: index.json lists no manifests`);
  let desc: Descriptor | undefined = ref
    ? index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === ref)
    : index.manifests.length === 1 ? index.manifests[0] : undefined;
  if (!desc && !ref) {
    desc = index.manifests.some((m) => m.platform) ? selectPlatform(index.manifests, platform ?? hostPlatform(), what) : index.manifests[0];
  }
  if (!desc) fail('NOT_FOUND', `${what}: no manifest named ${ref}`);
  let manifestBytes = await readBlob(dir, desc, what);
  let manifest = parseJson<{ mediaType?: string; manifests?: Descriptor[]; config?: Descriptor; layers?: Descriptor[] }>(manifestBytes, `${what} manifest`);
  for (let depth = 0; (INDEX_TYPES.has(desc.mediaType ?? '') || manifest.manifests) && depth < 4; depth++) {
    desc = selectPlatform(manifest.manifests ?? [], platform ?? hostPlatform(), what);
    manifestBytes = await readBlob(dir, desc, what);
    manifest = parseJson(manifestBytes, `${what} manifest`);
  }
  if (!manifest.config || !Array.isArray(manifest.layers)) fail('CORRUPT_INPUT', `${what}: manifest without config or layers`);
  const configBytes = await readBlob(dir, manifest.config, what);
  const config = parseJson<ImageConfig>(configBytes, `${what} config`);
  checkConfig(config, what);
  if (config.rootfs.diff_ids.length !== manifest.layers.length) fail('CORRUPT_INPUT', `${what}: layer count differs from diff_ids`);
  const steps = historySteps(config);
  const layers: Layer[] = [];
  for (const [index, l] of manifest.layers.entries()) {
    const digest = parseDigest(l.digest, `${what} layer digest`);
    const path = join(dir, 'blobs', 'sha256', digestHex(digest));
    const size = await stat(path).then((s) => s.size, () => fail('CORRUPT_INPUT', `${what}: layer blob ${digest} missing`));
    if (size !== l.size) fail('DIGEST_MISMATCH', `${what}: layer blob ${digest} is ${size} bytes, manifest says ${l.size}`);
    layers.push({
      index,
      diffID: parseDigest(config.rootfs.diff_ids[index], `${what} diff_id`),
      digest,
      mediaType: l.mediaType,
      createdBy: steps[index],
      bytes: { kind: 'file', path, offset: 0, size },
    });
  }
  const refName = desc.annotations?.['org.opencontainers.image.ref.name'];
  return {
    target,
    scheme: 'oci-dir',
    tags: refName ? [refName] : [],
    imageId: sha256Digest(configBytes),
    manifestDigest: parseDigest(desc.digest) as Digest,
    repoDigests: [],
    config,
    layers,
    notes: [],
    close: async () => {},
  };
}
