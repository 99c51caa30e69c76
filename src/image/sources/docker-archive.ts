// `docker-archive:FILE`: a `docker save` tarball (legacy layout or the OCI layout docker 25+ writes), read in place.
import { stat } from 'node:fs/promises';
import { fail, sha256Digest, parseDigest, describeError } from '../../core/index.js';
import { indexTar, readMember, resolveMember, openForRead } from '../tar-index.js';
import { parseJson, checkConfig } from '../json.js';
import { historySteps, type Image, type ImageConfig, type Layer } from '../types.js';

interface SaveManifestEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

/** Opens a `docker save` archive; `tag` picks one image when the archive holds several. */
export async function openDockerArchive(file: string, target: string, tag?: string): Promise<Image> {
  const what = `docker-archive ${file}`;
  const size = await stat(file).then((s) => s.size, (err) => fail('NOT_FOUND', `${what}: ${describeError(err)}`));
  const fh = await openForRead(file, what);
  try {
    const members = await indexTar(fh, size, what);
    const manifestMember = members.get('manifest.json');
    if (!manifestMember) fail('BAD_TARGET', `${what}: no manifest.json (not a docker save archive)`);
    const manifest = parseJson<SaveManifestEntry[]>(await readMember(fh, manifestMember, 4 << 20, what), `${what} manifest.json`);
    if (!Array.isArray(manifest) || manifest.length === 0) fail('CORRUPT_INPUT', `${what}: empty manifest.json`);
    const entry = tag ? manifest.find((m) => m.RepoTags?.includes(tag)) : manifest[0];
    if (!entry) fail('NOT_FOUND', `${what}: no image tagged ${tag}`);
    if (typeof entry.Config !== 'string' || !Array.isArray(entry.Layers)) fail('CORRUPT_INPUT', `${what}: malformed manifest.json`);
    const configMember = resolveMember(members, entry.Config);
    if (!configMember) fail('CORRUPT_INPUT', `${what}: config ${entry.Config} missing`);
    const configBytes = await readMember(fh, configMember, 16 << 20, what);
    const config = parseJson<ImageConfig>(configBytes, `${what} config`);
    checkConfig(config, what);
    if (config.rootfs.diff_ids.length !== entry.Layers.length) {
      fail('CORRUPT_INPUT', `${what}: ${entry.Layers.length} layers but ${config.rootfs.diff_ids.length} diff_ids in the config`);
    }
    const steps = historySteps(config);
    const layers: Layer[] = entry.Layers.map((name, index) => {
      const m = resolveMember(members, name);
      if (!m) fail('CORRUPT_INPUT', `${what}: layer ${name} missing from the archive`);
      const blobHex = /^blobs\/sha256\/([a-f0-9]{64})$/.exec(m.name)?.[1];
      return {
        index,
        diffID: parseDigest(config.rootfs.diff_ids[index], `${what} diff_id ${index}`),
        digest: blobHex ? parseDigest(`sha256:${blobHex}`) : undefined,
        createdBy: steps[index],
        bytes: { kind: 'file', path: file, offset: m.offset, size: m.size },
      };
    });
    const tags = entry.RepoTags ?? [];
    return {
      target,
      scheme: 'docker-archive',
      name: tags[0]?.replace(/:[^:/]+$/, ''),
      tags,
      imageId: sha256Digest(configBytes),
      repoDigests: [],
      config,
      layers,
      notes: [],
    close: async () => {},
    };
  } finally {
    await fh.close();
  }
}
