// The CycloneDX 1.6 JSON encoder: inventory in, deterministic JSON out (sorted lists, stable bom-refs).
import { createHash } from 'node:crypto';
import { Enums, Models, Serialize, Spec } from '@cyclonedx/cyclonedx-library';
import type { InvFile, InvModel, InvDataset, InvPackage } from '../catalog/types.js';
import type { FilesMode, Inventory, InventoryLayer } from './inventory.js';
import { toCdxLicenses } from './licenses.js';
import { modelCardJson } from './model-card.js';

/** Options of the encoder. */
export interface CycloneDxOptions {
  files: FilesMode;
  /** BOM timestamp; omitted when undefined. */
  timestamp?: Date;
}

type Props = Array<[string, string | number | boolean | undefined]>;

function props(c: Models.Component | Models.Metadata, list: Props): void {
  for (const [name, value] of list) if (value !== undefined && value !== '') c.properties.add(new Models.Property(name, String(value)));
}

function layerProps(layers: InventoryLayer[], index: number): Props {
  const l = layers[index];
  return l ? [['mlbuild:layer:index', index], ['mlbuild:layer:diffID', l.diffID], ['mlbuild:layer:createdBy', l.createdBy]] : [];
}

function sha256(c: Models.Component, hex: string | undefined): void {
  if (hex) c.hashes.set(Enums.HashAlgorithm['SHA-256'], hex);
}

/** A deterministic urn:uuid from the image identity (same image and options → same serial number). */
function serialNumber(inv: Inventory, opts: CycloneDxOptions): string {
  const h = createHash('sha256').update(`${inv.image.imageId}|${inv.image.manifestDigest ?? ''}|${inv.tool.version}|${opts.files}`).digest('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function fileComponent(f: InvFile, layers: InventoryLayer[], ref: string): Models.Component {
  const c = new Models.Component(Enums.ComponentType.File, `/${f.path}`, { bomRef: ref });
  sha256(c, f.sha256);
  props(c, [['mlbuild:file:size', f.size], ['mlbuild:file:resolvedFrom', f.resolvedFrom ? `/${f.resolvedFrom}` : undefined], ...layerProps(layers, f.layer)]);
  return c;
}

function packageComponent(p: InvPackage, layers: InventoryLayer[], ref: string): Models.Component {
  const c = new Models.Component(Enums.ComponentType.Library, p.name, { bomRef: ref, version: p.version, purl: p.purl, description: p.description });
  for (const l of toCdxLicenses(p.licenses)) c.licenses.add(l);
  if (p.supplier) c.supplier = new Models.OrganizationalEntity({ name: p.supplier });
  props(c, [['mlbuild:package:type', p.ecosystem], ['mlbuild:package:arch', p.arch], ['mlbuild:location:path', `/${p.location.path}`], ...layerProps(layers, p.location.layer)]);
  return c;
}

function modelComponent(m: InvModel, layers: InventoryLayer[], ref: string, withFiles: boolean): Models.Component {
  const c = new Models.Component(Enums.ComponentType.MachineLearningModel, m.name, { bomRef: ref, version: m.version, purl: m.purl });
  for (const l of toCdxLicenses(m.licenses)) c.licenses.add(l);
  const layerSet = [...new Set(m.files.map((f) => f.layer))].sort((a, b) => a - b);
  props(c, [
    ['mlbuild:model:path', `/${m.path}`],
    ['mlbuild:model:formats', m.formats.join(',')],
    ['mlbuild:model:pickle', m.pickle],
    ['mlbuild:model:parameters', m.parameters],
    ['mlbuild:model:files', m.files.length],
    ['mlbuild:model:bytes', m.files.reduce((a, f) => a + f.size, 0)],
    ['mlbuild:source:url', m.source?.url],
    ['mlbuild:source:commit', m.source?.commit],
    ...layerSet.flatMap((i) => layerProps(layers, i)),
    ...m.warnings.map((w): [string, string] => ['mlbuild:warning', w]),
  ]);
  if (withFiles) m.files.forEach((f) => c.components.add(fileComponent(f, layers, `${ref}:file:/${f.path}`)));
  return c;
}

function datasetComponent(d: InvDataset, layers: InventoryLayer[], ref: string, withFiles: boolean): Models.Component {
  const c = new Models.Component(Enums.ComponentType.Data, d.name, { bomRef: ref, description: d.description });
  for (const l of toCdxLicenses(d.licenses)) c.licenses.add(l);
  props(c, [['mlbuild:dataset:path', `/${d.path}`], ['mlbuild:dataset:formats', d.formats.join(',')], ...d.warnings.map((w): [string, string] => ['mlbuild:warning', w])]);
  if (withFiles) d.files.forEach((f) => c.components.add(fileComponent(f, layers, `${ref}:file:/${f.path}`)));
  return c;
}

/** Encodes an inventory as CycloneDX 1.6 JSON text. */
export function toCycloneDx(inv: Inventory, opts: CycloneDxOptions): string {
  const { image, catalog } = inv;
  const layers = image.layers;
  const bom = new Models.Bom({ serialNumber: serialNumber(inv, opts) });
  const root = new Models.Component(Enums.ComponentType.Container, image.name ?? image.target, { bomRef: 'image', version: image.manifestDigest ?? image.imageId });
  props(root, [
    ['mlbuild:image:id', image.imageId],
    ['mlbuild:image:manifestDigest', image.manifestDigest],
    ['mlbuild:image:source', image.scheme],
    ['mlbuild:image:architecture', image.architecture],
    ['mlbuild:image:os', image.os],
    ['mlbuild:image:created', image.created],
    ...image.tags.map((t): [string, string] => ['mlbuild:image:tag', t]),
    ...image.repoDigests.map((t): [string, string] => ['mlbuild:image:repoDigest', t]),
    ...layers.map((l): [string, string] => [`mlbuild:image:layer:${String(l.index).padStart(3, '0')}`, `${l.diffID} ${l.createdBy ?? ''}`.trim()]),
  ]);
  bom.metadata = new Models.Metadata({ component: root, timestamp: opts.timestamp });
  bom.metadata.tools.components.add(new Models.Component(Enums.ComponentType.Application, inv.tool.name, { version: inv.tool.version }));
  props(bom.metadata, [
    ...inv.unknowns.map((u): [string, string] => ['mlbuild:unknown', `${u.path ? `/${u.path}` : ''}${u.layer !== undefined ? ` (layer ${u.layer})` : ''}: ${u.reason}`]),
    ...image.notes.map((n): [string, string] => ['mlbuild:note', n]),
  ]);
  const top: Models.Component[] = [];
  if (catalog.os) {
    top.push(new Models.Component(Enums.ComponentType.OperatingSystem, catalog.os.id, { bomRef: `os:${catalog.os.id}`, version: catalog.os.versionId, description: catalog.os.prettyName }));
  }
  const used = new Set<string>();
  const unique = (ref: string): string => {
    let r = ref;
    for (let i = 2; used.has(r); i++) r = `${ref}#${i}`;
    used.add(r);
    return r;
  };
  const sortedPkgs = [...catalog.packages].sort((a, b) => a.purl.localeCompare(b.purl) || a.location.path.localeCompare(b.location.path));
  for (const p of sortedPkgs) top.push(packageComponent(p, layers, unique(p.purl)));
  const cards = new Map<string, Record<string, unknown>>();
  const modelFiles = new Set<string>();
  for (const m of [...catalog.models].sort((a, b) => a.path.localeCompare(b.path))) {
    const ref = unique(`model:/${m.path}`);
    top.push(modelComponent(m, layers, ref, opts.files !== 'none'));
    const card = modelCardJson(m);
    if (card) cards.set(ref, card);
    m.files.forEach((f) => modelFiles.add(f.path));
  }
  for (const d of [...catalog.datasets].sort((a, b) => a.path.localeCompare(b.path))) {
    top.push(datasetComponent(d, layers, unique(`dataset:/${d.path}`), opts.files !== 'none'));
    d.files.forEach((f) => modelFiles.add(f.path));
  }
  if (opts.files === 'all') {
    for (const f of inv.files) if (!modelFiles.has(f.path)) top.push(fileComponent({ ...f, layer: f.layer }, layers, unique(`file:/${f.path}`)));
  }
  for (const c of top) {
    bom.components.add(c);
    if (c.type !== Enums.ComponentType.File) root.dependencies.add(c.bomRef);
  }
  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  const json = JSON.parse(serializer.serialize(bom, { sortLists: true })) as { components?: Array<Record<string, unknown>> };
  for (const c of json.components ?? []) {
    const card = cards.get(c['bom-ref'] as string);
    if (card) c.modelCard = card;
  }
  return `${JSON.stringify(json, null, 2)}\n`;
}
