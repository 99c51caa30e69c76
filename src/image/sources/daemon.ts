// `docker:REF`: an image in the local Docker engine; overlay2 layer dirs read in place when readable, else the export.
import { access, readFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join } from 'node:path';
import { isMlbuildError, parseDigest, sha256Digest, type Digest } from '../../core/index.js';
import { DockerEngine, type ImageInspect } from '../../docker/index.js';
import { parseJson } from '../json.js';
import { opaqueDirs } from './overlay-walk.js';
import { historySteps, type Image, type ImageConfig, type Layer, type LayerBytes } from '../types.js';

async function readable(path: string): Promise<boolean> {
  return access(path, constants.R_OK).then(() => true, () => false);
}

/** The overlay2 diff dirs of an image, bottom to top, when the engine is local and they are readable. */
async function overlayDirs(info: ImageInspect, count: number): Promise<string[] | undefined> {
  const data = info.GraphDriver?.Data;
  if (info.GraphDriver?.Name !== 'overlay2' || !data?.UpperDir) return undefined;
  const topDown = [data.UpperDir, ...(data.LowerDir ? data.LowerDir.split(':') : [])];
  if (topDown.length !== count) return undefined;
  for (const d of topDown) if (!(await readable(d))) return undefined;
  return topDown.reverse();
}

/** The exact config JSON from the engine's image store, when local and readable (overlay2 layout). */
async function localConfig(engine: DockerEngine, id: Digest): Promise<Buffer | undefined> {
  try {
    const info = await engine.json<{ DockerRootDir?: string; Driver?: string }>('GET', '/info', 'engine info');
    if (!info.DockerRootDir || !info.Driver) return undefined;
    const bytes = await readFile(join(info.DockerRootDir, 'image', info.Driver, 'imagedb', 'content', 'sha256', id.slice(7)));
    return sha256Digest(bytes) === id ? bytes : undefined;
  } catch {
    return undefined;
  }
}

/** A config rebuilt from inspect + history when the original bytes are not readable (remote engine). */
async function apiConfig(engine: DockerEngine, ref: string, info: ImageInspect): Promise<ImageConfig> {
  const history = await engine.json<Array<{ CreatedBy: string; Size: number; Created: number }>>('GET', `/images/${encodeURIComponent(ref)}/history`, `history of ${ref}`);
  return {
    architecture: info.Architecture,
    os: info.Os,
    created: info.Created,
    rootfs: { type: 'layers', diff_ids: info.RootFS.Layers ?? [] },
    history: history.reverse().map((h) => ({ created_by: h.CreatedBy, empty_layer: h.Size === 0 })),
  };
}

/** Opens an image from the Docker engine. */
export async function openDaemonImage(ref: string, target: string, engine: DockerEngine): Promise<Image> {
  const info = await engine.inspectImage(ref);
  const imageId = parseDigest(info.Id, `image ${ref} ID`);
  const configBytes = engine.endpoint.socketPath === undefined ? undefined : await localConfig(engine, imageId);
  const config = configBytes ? parseJson<ImageConfig>(configBytes, `config of ${ref}`) : await apiConfig(engine, ref, info);
  const diffIDs = info.RootFS.Layers ?? [];
  // layerRead 'export' forces the engine's export stream (what remote engines and Podman always use); an engine
  // reached over TCP, TLS or ssh is remote even when its paths happen to exist here.
  const inPlace = engine.layerRead !== 'export' && engine.endpoint.socketPath !== undefined;
  const dirs = inPlace ? await overlayDirs(info, diffIDs.length) : undefined;
  const steps = historySteps(config);
  const notes: string[] = [];
  if (dirs) notes.push('layers read in place from the local engine (overlay2); diffIDs not re-hashed');
  else notes.push('layers read from the engine export stream');
  // A layer's opaque-dir listing (a python3 process) starts when that layer is walked and runs on the other core
  // while it is hashed; layers served from the cache never start one.
  const opaqueOf = (index: number): (() => Promise<string[]>) | undefined =>
    dirs ? () => opaqueDirs([dirs[index]]).then((o) => o[0]) : undefined;
  const layers: Layer[] = diffIDs.map((d, index) => ({
    index,
    diffID: parseDigest(d, `diffID ${index} of ${ref}`),
    createdBy: steps[index],
    bytes: (dirs ? { kind: 'dir', dir: dirs[index], opaque: opaqueOf(index) } : { kind: 'export' }) as LayerBytes,
  }));
  const tags = info.RepoTags ?? [];
  const repoDigests = info.RepoDigests ?? [];
  return {
    target,
    scheme: 'docker',
    name: (tags[0] ?? repoDigests[0])?.replace(/(@sha256:[a-f0-9]+|:[^:/]+)$/, ''),
    tags,
    imageId,
    repoDigests,
    config,
    layers,
    notes,
    exportStream: async () => engine.exportImage(ref),
    close: async () => {},
  };
}

/** True when the engine has this image (NOT_FOUND → false; an unreachable engine propagates). */
export async function daemonHasImage(ref: string, engine: DockerEngine): Promise<boolean> {
  try {
    await engine.inspectImage(ref);
    return true;
  } catch (err) {
    if (isMlbuildError(err, 'NOT_FOUND')) return false;
    throw err;
  }
}

