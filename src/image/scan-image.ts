// Scans every layer of an image once, top-down, reusing cached layer scans; returns scans bottom-up.
import { byteEvents, fail, type EventSink, noEvents, type Digest } from '../core/index.js';
import type { ProbeFactory } from '../catalog/probe.js';
import { HiddenIndex } from './hidden.js';
import type { LayerCache } from './layer-cache.js';
import type { LayerScan } from './layer-scan.js';
import { OffloadHasher } from './offload-hasher.js';
import { readLayer, TarScan } from './read-layer.js';
import { TarParser, type ContentSink } from './tar-parser.js';
import type { Image, Layer } from './types.js';

/** Options of an image scan. */
export interface ScanImageOptions {
  probeFor?: ProbeFactory;
  cache?: LayerCache;
  events?: EventSink;
}

/** Scans an image's layers (top-down, so files hidden by upper layers are not hashed); results bottom-up. */
export async function scanImage(image: Image, opts: ScanImageOptions = {}): Promise<LayerScan[]> {
  const events = opts.events ?? noEvents;
  const n = image.layers.length;
  const scans: Array<LayerScan | undefined> = new Array(n);
  const hidden = new HiddenIndex();
  const deferred: Layer[] = [];
  let hasher: OffloadHasher | undefined;
  try {
    for (let i = n - 1; i >= 0; i--) {
      const layer = image.layers[i];
      events({ type: 'layer-start', index: i, total: n, diffID: layer.diffID });
      // Package files are checked against their package's digests where a build step could have replaced them: in
      // every layer but the bottom one of a layered image (whose files came with the package database itself).
      const md5 = !(n > 1 && i === 0);
      const cached = await opts.cache?.get(layer.diffID);
      if (cached && cached.unhashed.every((p) => hidden.hides(p)) && (cached.md5 !== false || !md5)) {
        scans[i] = cached;
        events({ type: 'layer-done', index: i, diffID: layer.diffID, bytes: 0, cached: true });
      } else if (layer.bytes.kind === 'export') {
        deferred.push(layer);
        continue;
      } else {
        hasher ??= new OffloadHasher();
        const progress = byteEvents(events);
        let read = await readLayer(layer, { hidden: (p) => hidden.hides(p), probeFor: opts.probeFor, md5 }, hasher, progress.add);
        progress.flush();
        // A visible hard link to a name an upper layer deleted: its content was skipped with that name. Read the
        // layer again without skipping, so the link's content is hashed and identified like any other file.
        if (read.scan.unhashed.some((p) => !hidden.hides(p))) read = await readLayer(layer, { hidden: () => false, probeFor: opts.probeFor, md5 }, hasher);
        scans[i] = read.scan;
        await opts.cache?.put(layer.diffID, read.scan);
        events({ type: 'layer-done', index: i, diffID: layer.diffID, bytes: read.bytes, cached: false });
      }
      hidden.add(scans[i] as LayerScan);
    }
  } finally {
    await hasher?.close();
  }
  if (deferred.length > 0) await scanExport(image, deferred, scans, opts);
  // Array.from visits every index (map would skip the holes a missing layer leaves, and pass open).
  return Array.from(scans, (s, i) => s ?? fail('CORRUPT_INPUT', `layer ${i} (${image.layers[i].diffID}) not found in the image export`));
}

/** Reads layers out of a `docker save` stream: each layer tar is scanned while it streams and matched by diffID. */
async function scanExport(image: Image, layers: Layer[], scans: Array<LayerScan | undefined>, opts: ScanImageOptions): Promise<void> {
  if (!image.exportStream) fail('UNSUPPORTED', `${image.target}: layers are not readable`);
  const wanted = new Map<Digest, Layer>(layers.map((l) => [l.diffID, l]));
  const done: Promise<void>[] = [];
  const outer = new TarParser({
    entry: (h): ContentSink | undefined => {
      // docker ≤24 writes ID/layer.tar, docker 25+ OCI blobs; Podman writes DIFFID.tar (its layer.tar are symlinks).
      const isLayer = /(^|\/)layer\.tar$/.test(h.path) || /^blobs\/sha256\/[a-f0-9]{64}$/.test(h.path) || /^[a-f0-9]{64}\.tar$/.test(h.path);
      if (!isLayer || h.type !== 'file') return undefined;
      const progress = byteEvents(opts.events ?? noEvents);
      const ts = new TarScan({ probeFor: opts.probeFor }, true, progress.add);
      return {
        data: ts.write,
        end: () => {
          progress.flush();
          const diffID = ts.finish() as Digest;
          const layer = wanted.get(diffID);
          if (!layer) return;
          if (ts.scanner.fatal) fail('CORRUPT_INPUT', `layer ${layer.index}: not a valid tar: ${ts.scanner.fatal}`);
          scans[layer.index] = ts.scanner.scan;
          wanted.delete(diffID);
          opts.events?.({ type: 'layer-done', index: layer.index, diffID, bytes: ts.bytes, cached: false });
          done.push(opts.cache?.put(diffID, ts.scanner.scan) ?? Promise.resolve());
        },
      };
    },
    problem: (reason, fatal) => {
      if (fatal) fail('CORRUPT_INPUT', `${image.target}: export stream is not a tar: ${reason}`);
    },
  });
  for await (const chunk of await image.exportStream()) outer.write(chunk);
  outer.end();
  await Promise.all(done);
}
