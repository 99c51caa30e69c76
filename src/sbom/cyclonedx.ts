// The CycloneDX 1.6 JSON encoder: inventory in, deterministic JSON out (sorted lists, stable bom-refs).
// Written directly (the tests validate it against the official 1.6 schema): building library models for tens of
// thousands of file components cost more than the rest of a cached rescan.
import { createHash } from 'node:crypto';
import { classifyContent, type ContentInfo } from '../catalog/formats/classify.js';
import { archiveMembers } from '../catalog/formats/members.js';
import type { InvFile, InvModel, InvDataset, InvPackage } from '../catalog/types.js';
import { fileKind, ownerLabel, type FileOwner, type FileOwners, type OwnershipSummary } from '../catalog/owners/index.js';
import type { FilesMode, Inventory, InventoryLayer } from './inventory.js';
import { toCdxLicenses } from './licenses.js';
import { modelCardJson } from './model-card.js';

/** Options of the encoder. */
export interface CycloneDxOptions {
  files: FilesMode;
  /** BOM timestamp; omitted when undefined. */
  timestamp?: Date;
}

type Json = Record<string, unknown>;
type Props = Array<[string, string | number | boolean | undefined]>;
type Prop = { name: string; value: string };

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function props(list: Props): Prop[] | undefined {
  const out: Prop[] = [];
  for (const [name, value] of list) if (value !== undefined && value !== '') out.push({ name, value: String(value) });
  out.sort((a, b) => cmp(a.name, b.name) || cmp(a.value, b.value));
  return out.length > 0 ? out : undefined;
}

function layerProps(layers: InventoryLayer[], index: number): Props {
  const l = layers[index];
  return l ? [['mlbuild:layer:index', index], ['mlbuild:layer:diffID', l.diffID], ['mlbuild:layer:createdBy', l.createdBy]] : [];
}

/** Drops undefined fields so the JSON stays minimal and stable (used for the few top-level objects). */
function compact(o: Json): Json {
  const out: Json = {};
  for (const k of Object.keys(o)) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** One component, its fields in CycloneDX's usual order, absent fields omitted (no `delete`: it deoptimizes). */
function component(type: string, ref: string, name: string, extra: Json, properties: Props, children?: Json[]): Json {
  const c: Json = { type, 'bom-ref': ref };
  if (extra.supplier !== undefined) c.supplier = extra.supplier;
  c.name = name;
  if (extra.version !== undefined) c.version = extra.version;
  if (extra.description !== undefined) c.description = extra.description;
  if (extra.sha256 !== undefined) c.hashes = [{ alg: 'SHA-256', content: extra.sha256 }];
  const licenses = extra.licenses as unknown[] | undefined;
  if (licenses && licenses.length > 0) c.licenses = licenses;
  if (extra.purl !== undefined) c.purl = extra.purl;
  const p = props(properties);
  if (p) c.properties = p;
  if (children && children.length > 0) c.components = children.sort((a, b) => cmp(a['bom-ref'] as string, b['bom-ref'] as string));
  if (extra.modelCard !== undefined) c.modelCard = extra.modelCard;
  return c;
}

/** A deterministic urn:uuid from the image identity (same image and options → same serial number). */
function serialNumber(inv: Inventory, opts: CycloneDxOptions): string {
  const h = createHash('sha256').update(`${inv.image.imageId}|${inv.image.manifestDigest ?? ''}|${inv.tool.version}|${opts.files}`).digest('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function ownerProps(f: InvFile, o: FileOwner | undefined): Props {
  if (o === undefined) return [];
  const p: Props = [['mlbuild:file:owner', ownerLabel(o)]];
  if (o.kind === 'package') p.push(['mlbuild:file:ownerState', o.state], ['mlbuild:file:ownerWant', o.want && `${o.alg}:${o.want}`], ['mlbuild:file:ownerGot', o.got && `${o.alg}:${o.got}`]);
  if (o.kind === 'unaccounted') p.push(['mlbuild:file:kind', fileKind(f)]);
  return p;
}

// Metadata totals: owned files by owner kind and state, unaccounted files by kind.
function ownershipProps(s: OwnershipSummary | undefined): Props {
  if (s === undefined) return [];
  return [
    ...Object.entries(s.owned).map(([label, n]): [string, number] => [`mlbuild:files:owned:${label}`, n]),
    ...s.unaccounted.map((u): [string, string] => [`mlbuild:files:unaccounted:${u.kind}`, `${u.files} files, ${u.bytes} bytes`]),
  ];
}

function fileComponent(f: InvFile, layers: InventoryLayer[], ref: string, owners: FileOwners | undefined): Json {
  const c = classifyContent(f.path, f.size, f.facts);
  return component('file', ref, `/${f.path}`, { sha256: f.sha256 }, [
    ['mlbuild:file:size', f.size],
    ['mlbuild:file:resolvedFrom', f.resolvedFrom ? `/${f.resolvedFrom}` : undefined],
    ...contentProps(c),
    ...ownerProps(f, owners?.get(f.resolvedFrom ?? f.path)),
    ...layerProps(layers, f.layer),
  ], c?.cls === 'archive' && f.facts ? memberComponents(f, layers, ref) : undefined);
}

// The identified members of an archive (weights, pickles, data), as nested file components `/archive!member`.
function memberComponents(f: InvFile, layers: InventoryLayer[], ref: string): Json[] | undefined {
  const list = archiveMembers(f.path, f.layer, f.facts ?? { kind: 'none' });
  if (list.length === 0) return undefined;
  const seen = new Map<string, number>();
  const refOf = (p: string): string => {
    const n = (seen.get(p) ?? 0) + 1;
    seen.set(p, n);
    return n === 1 ? `${ref}!${p}` : `${ref}!${p}#${n}`;
  };
  return list.map((m) => component('file', refOf(m.path.slice(f.path.length + 1)), `/${m.path}`, { sha256: m.sha256 }, [
    ['mlbuild:file:size', m.size],
    ...contentProps(m.info),
    ...layerProps(layers, f.layer),
  ]));
}

// What the content of a file was identified as (read back by `verify image`'s content gate).
function contentProps(c: ContentInfo | undefined): Props {
  if (!c) return [];
  return [
    ['mlbuild:file:format', c.format],
    ['mlbuild:file:class', c.cls],
    ['mlbuild:file:policy-formats', c.policyFormats.length > 0 ? c.policyFormats.join(',') : undefined],
    ['mlbuild:file:dangerous-imports', c.dangerous.length > 0 ? c.dangerous.join(',') : undefined],
    ['mlbuild:file:masquerade', c.masquerade],
    ...c.malformed.map((w): [string, string] => ['mlbuild:file:malformed', w]),
    ['mlbuild:file:unopened', c.unopened],
    ...(c.tampered ?? []).map((t): [string, string] => ['mlbuild:file:tampered', t]),
  ];
}

function packageComponent(p: InvPackage, layers: InventoryLayer[], ref: string): Json {
  return component('library', ref, p.name, { version: p.version, description: p.description, purl: p.purl, licenses: toCdxLicenses(p.licenses), supplier: p.supplier ? { name: p.supplier } : undefined }, [
    ['mlbuild:package:type', p.ecosystem],
    ['mlbuild:package:arch', p.arch],
    ['mlbuild:location:path', `/${p.location.path}`],
    ...layerProps(layers, p.location.layer),
  ]);
}

function modelComponent(m: InvModel, layers: InventoryLayer[], ref: string, withFiles: boolean, owners: FileOwners | undefined): Json {
  const layerSet = [...new Set(m.files.map((f) => f.layer))].sort((a, b) => a - b);
  const a = m.attestation;
  return component('machine-learning-model', ref, m.name, { version: m.version, purl: m.purl, licenses: toCdxLicenses(m.licenses), modelCard: modelCardJson(m) }, [
    ['mlbuild:model:path', `/${m.path}`],
    ['mlbuild:model:formats', m.formats.join(',')],
    ['mlbuild:model:pickle', m.pickle],
    ['mlbuild:model:parameters', m.parameters],
    ['mlbuild:model:files', m.files.length],
    ['mlbuild:model:bytes', m.files.reduce((s, f) => s + f.size, 0)],
    ['mlbuild:source:url', m.source?.url],
    ['mlbuild:source:commit', m.source?.commit],
    ['mlbuild:attestation:digest', a?.bundleDigest],
    ['mlbuild:attestation:subject', a?.subjectDigest],
    ['mlbuild:attestation:source', a?.source],
    ['mlbuild:attestation:commit', a?.commit],
    ['mlbuild:attestation:signer', a?.signer],
    ...layerSet.flatMap((i) => layerProps(layers, i)),
    ...m.warnings.map((w): [string, string] => ['mlbuild:warning', w]),
  ], withFiles ? m.files.map((f) => fileComponent(f, layers, `${ref}:file:/${f.path}`, owners)) : undefined);
}

function datasetComponent(d: InvDataset, layers: InventoryLayer[], ref: string, withFiles: boolean, owners: FileOwners | undefined): Json {
  return component('data', ref, d.name, { version: d.version, description: d.description, licenses: toCdxLicenses(d.licenses) }, [
    ['mlbuild:dataset:path', `/${d.path}`],
    ['mlbuild:dataset:formats', d.formats.join(',')],
    ['mlbuild:source:url', d.source?.url],
    ['mlbuild:source:commit', d.source?.commit],
    ...d.warnings.map((w): [string, string] => ['mlbuild:warning', w]),
  ], withFiles ? d.files.map((f) => fileComponent(f, layers, `${ref}:file:/${f.path}`, owners)) : undefined);
}

/** Encodes an inventory as CycloneDX 1.6 JSON text. */
export function toCycloneDx(inv: Inventory, opts: CycloneDxOptions): string {
  const { image, catalog } = inv;
  const layers = image.layers;
  const used = new Set<string>();
  const unique = (ref: string): string => {
    let r = ref;
    for (let i = 2; used.has(r); i++) r = `${ref}#${i}`;
    used.add(r);
    return r;
  };
  const top: Json[] = [];
  if (catalog.os) top.push(component('operating-system', unique(`os:${catalog.os.id}`), catalog.os.id, { version: catalog.os.versionId, description: catalog.os.prettyName }, []));
  for (const p of [...catalog.packages].sort((a, b) => cmp(a.purl, b.purl) || cmp(a.location.path, b.location.path))) top.push(packageComponent(p, layers, unique(p.purl)));
  const listed = new Set<string>();
  for (const m of [...catalog.models].sort((a, b) => cmp(a.path, b.path))) {
    top.push(modelComponent(m, layers, unique(`model:/${m.path}`), opts.files !== 'none', inv.owners));
    m.files.forEach((f) => listed.add(f.path));
  }
  for (const d of [...catalog.datasets].sort((a, b) => cmp(a.path, b.path))) {
    top.push(datasetComponent(d, layers, unique(`dataset:/${d.path}`), opts.files !== 'none', inv.owners));
    d.files.forEach((f) => listed.add(f.path));
  }
  if (opts.files === 'all') for (const f of inv.files) if (!listed.has(f.path)) top.push(fileComponent(f, layers, unique(`file:/${f.path}`), inv.owners));
  top.sort((a, b) => cmp(a['bom-ref'] as string, b['bom-ref'] as string));
  const root = component('container', 'image', image.name ?? image.target, { version: image.manifestDigest ?? image.imageId }, [
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
  const bom = compact({
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: serialNumber(inv, opts),
    version: 1,
    metadata: compact({
      timestamp: opts.timestamp?.toISOString(),
      tools: { components: [{ type: 'application', name: inv.tool.name, version: inv.tool.version }] },
      component: root,
      properties: props([
        ...inv.unknowns.map((u): [string, string] => ['mlbuild:unknown', `${u.path ? `/${u.path}` : ''}${u.layer !== undefined ? ` (layer ${u.layer})` : ''}: ${u.reason}`]),
        ...image.notes.map((n): [string, string] => ['mlbuild:note', n]),
        ...ownershipProps(inv.ownership),
      ]),
    }),
    components: top,
    dependencies: [{ ref: 'image', dependsOn: top.filter((c) => c.type !== 'file').map((c) => c['bom-ref'] as string) }],
  });
  return `${JSON.stringify(bom)}\n`;
}
