// The content gate: every file of an image is judged by what its bytes are, wherever it lies and whatever it is
// called. Weights need a trusted attestation covering their digest; pickles that import code, names that lie about
// the format and model files that fail to parse are findings; policies forbid formats by content, not by name.
import { classifyContent, type ClassifyOptions, type ContentInfo } from '../catalog/formats/classify.js';
import { archiveMembers, type ContentFile } from '../catalog/formats/members.js';
import type { FileView } from '../catalog/types.js';
import { ATLAS, type AllowTest } from '../policy/index.js';
import type { ImageFinding } from './image-findings.js';
import type { MatchedModel } from './image-models.js';

export type { ContentFile } from '../catalog/formats/members.js';

/** Every identified regular file of a merged view, and every identified member of the archives among them. */
export function contentFilesOfView(view: FileView, o: ClassifyOptions = {}): ContentFile[] {
  const out: ContentFile[] = [];
  for (const f of view.all()) {
    if (f.type !== 'file' || !f.facts) continue;
    const info = classifyContent(f.path, f.size, f.facts, o);
    if (!info) continue;
    out.push({ path: f.path, size: f.size, sha256: f.sha256, layer: f.layer, info });
    if (info.cls === 'archive') out.push(...archiveMembers(f.path, f.layer, f.facts, o));
  }
  return out;
}

/** What the gate needs besides the files. */
export interface ContentGateInput {
  files: ContentFile[];
  /** sha256 (hex) of every file a trusted attestation that matched a model of this image lists. */
  covered: ReadonlySet<string>;
  /** Paths of the files of every model component (their formats are judged with the model). */
  inModels: ReadonlySet<string>;
  /** Paths of the files of model components that matched no attestation (reported as unattested models). */
  inUnattestedModels: ReadonlySet<string>;
  /** Unattested weights fail (the policy requires attestation and --allow-unattested was not given). */
  requireAttestation: boolean;
  forbidFormats: readonly string[];
  /** Weights the policy lets in without an attestation (`models.allowUnattested`). */
  allowed?: AllowTest;
  /** Unopened archives fail the check (`files.unopenedArchives: deny`). */
  unopenedFatal?: boolean;
  /** The build step that made a layer, for messages. */
  stepOf?: (layer: number) => string | undefined;
}

/** Judges identified content; returns findings (fatal ones fail the build or the verification). */
export function judgeContent(input: ContentGateInput): ImageFinding[] {
  const out: ImageFinding[] = [];
  const forbid = new Set(input.forbidFormats);
  for (const f of input.files) {
    const where = { path: f.path, layer: f.layer, step: f.layer !== undefined ? input.stepOf?.(f.layer) : undefined };
    const at = `/${f.path}`;
    const { info } = f;
    if (info.dangerous.length > 0) {
      out.push({ kind: 'dangerous-pickle', fatal: true, atlas: ATLAS.embeddedMalware, ...where, got: info.dangerous.join(','), message: `${at}: ${info.format} imports ${info.dangerous.join(', ')} (code runs when it is loaded)` });
    }
    if (info.masquerade) {
      out.push({ kind: 'masquerade', fatal: true, atlas: ATLAS.masquerading, ...where, want: info.masquerade, got: info.format, message: `${at}: named .${info.masquerade} but its content is ${info.format}` });
    }
    if (info.malformed.length > 0) {
      out.push({ kind: 'malformed-model', fatal: true, atlas: ATLAS.corruptModel, ...where, got: info.format, message: `${at}: does not parse as ${info.format}: ${info.malformed[0]}` });
    }
    if (info.cls === 'weights' && !input.inUnattestedModels.has(f.path) && !(f.sha256 && input.covered.has(f.sha256))) {
      const allowed = input.allowed?.(f.path, f.sha256) ?? false;
      out.push({ kind: 'unattested-weights', fatal: input.requireAttestation && !allowed, ...(allowed ? { rule: 'models.allowUnattested' } : {}), atlas: ATLAS.compromisedModel, ...where, got: f.sha256, message: `${at}: ${info.format} weights that no trusted model attestation covers` });
    }
    // Files of attested models have their formats judged with the model (the policy); all others here.
    if (!input.inModels.has(f.path) || input.inUnattestedModels.has(f.path)) {
      for (const pf of info.policyFormats) {
        if (forbid.has(pf)) out.push({ kind: 'format-forbidden', fatal: true, atlas: ATLAS.unsafeArtifact, ...where, got: pf, message: `${at}: ${pf} content is forbidden by the policy` });
      }
    }
    if (info.tampered) {
      out.push({ kind: 'archive-tampered', fatal: true, atlas: ATLAS.masquerading, ...where, got: info.format, message: `${at}: ${info.tampered[0]}` });
    }
    if (info.cls === 'archive' && info.unopened) {
      out.push({ kind: 'unopened-archive', fatal: input.unopenedFatal ?? false, atlas: ATLAS.unsafeArtifact, ...where, got: info.format, message: `${at}: ${info.format} archive of ${f.size} bytes not looked into (${info.unopened})` });
    }
  }
  return out;
}

type Json = Record<string, unknown>;
const list = (v: unknown): Json[] => (Array.isArray(v) ? (v.filter((x) => typeof x === 'object' && x !== null) as Json[]) : []);
const propsOf = (c: Json, name: string): string[] => list(c.properties).filter((p) => p.name === name).map((p) => String(p.value));

/** Every identified file of a CycloneDX SBOM written by mlbuild (file components, nested ones included). */
export function contentFilesOfSbom(sbom: Json): ContentFile[] {
  const out = new Map<string, ContentFile>();
  const visit = (c: Json): void => {
    if (c.type === 'file' && typeof c.name === 'string' && !propsOf(c, 'mlbuild:file:resolvedFrom').length) {
      const cls = propsOf(c, 'mlbuild:file:class')[0];
      if (cls === 'weights' || cls === 'serialized' || cls === 'data' || cls === 'archive') {
        const one = (n: string): string | undefined => propsOf(c, n)[0];
        const csv = (n: string): string[] => (one(n) ?? '').split(',').filter(Boolean);
        const info: ContentInfo = { format: one('mlbuild:file:format') ?? 'unknown', cls, policyFormats: csv('mlbuild:file:policy-formats'), dangerous: csv('mlbuild:file:dangerous-imports'), malformed: propsOf(c, 'mlbuild:file:malformed') };
        const tampered = propsOf(c, 'mlbuild:file:tampered');
        if (tampered.length > 0) info.tampered = tampered;
        const masquerade = one('mlbuild:file:masquerade');
        if (masquerade) info.masquerade = masquerade;
        const unopened = one('mlbuild:file:unopened');
        if (unopened) info.unopened = unopened;
        const path = c.name.replace(/^\/+/, '');
        const sha256 = list(c.hashes).find((h) => h.alg === 'SHA-256')?.content as string | undefined;
        const layer = one('mlbuild:layer:index');
        out.set(path, { path, size: Number(one('mlbuild:file:size') ?? 0), sha256, layer: layer !== undefined ? Number(layer) : undefined, info });
      }
    }
    list(c.components).forEach(visit);
  };
  list(sbom.components).forEach(visit);
  return [...out.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A model component as the gate needs it: where its files are, and the attested digests if one matched. */
export interface GateModel {
  path: string;
  files: { path: string }[];
  /** sha256 (hex) of the files of the trusted attestation that matched; undefined when none did. */
  attestedDigests?: readonly string[];
}

/** The gate's sets from the image's model components: covered digests, files in models, files in unattested ones. */
export function gateSets(models: GateModel[]): Pick<ContentGateInput, 'covered' | 'inModels' | 'inUnattestedModels'> {
  const covered = new Set<string>();
  const inModels = new Set<string>();
  const inUnattestedModels = new Set<string>();
  for (const m of models) {
    m.attestedDigests?.forEach((d) => covered.add(d));
    // Folder models list paths relative to the folder; a lone file model's one file is the model path itself.
    const paths = m.files.flatMap((f) => (m.path === '' ? [f.path] : [`${m.path}/${f.path}`, ...(m.path === f.path || m.path.endsWith(`/${f.path}`) ? [m.path] : [])]));
    for (const p of paths) {
      inModels.add(p);
      if (!m.attestedDigests) inUnattestedModels.add(p);
    }
  }
  return { covered, inModels, inUnattestedModels };
}

/** True when every file of a model component is let in without an attestation by the policy's allow list. */
export function modelAllowed(allowed: AllowTest, m: { path: string; files: { path: string; digest?: string }[] }): boolean {
  if (m.files.length === 0) return false;
  return m.files.every((f) => {
    const abs = m.path === f.path || m.path.endsWith(`/${f.path}`) ? m.path : `${m.path}/${f.path}`;
    return allowed(abs, f.digest);
  });
}

/** The gate's sets for the models matched in an image (build and verify image alike). */
export function gateSetsOf(matched: readonly MatchedModel[]): ReturnType<typeof gateSets> {
  return gateSets(matched.map((m) => ({ path: m.sbom.path, files: m.sbom.files, attestedDigests: m.attestation?.digests })));
}

/**
 * A fatal policy finding as the image check reports it: an `unsigned` model the policy lets in without an
 * attestation (models.allowUnattested) is reported, not fatal; anything else is returned as it is.
 */
export function withAllowance(f: ImageFinding, matched: readonly MatchedModel[], allowed: AllowTest): ImageFinding {
  const m = f.kind === 'unsigned' ? matched.find((y) => y.sbom.name === f.model) : undefined;
  return m && modelAllowed(allowed, m.sbom) ? { ...f, fatal: false, rule: 'models.allowUnattested', message: `${f.message} (allowed by the policy)` } : f;
}
