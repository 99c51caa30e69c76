// Building an InvModel from a model root or a lone weights file: name, version, purl, card, licenses, file summary.
import { purl } from '../packages/purl.js';
import type { InvModel, ModelCard } from '../types.js';
import type { CollectedFiles } from './files.js';
import type { Root } from './layout.js';
import { cardLicenses } from './license.js';
import { embeddedLicenses, fileWarnings, isPickleFile, modelFormatOf, parametersOf, sortedUnique } from './summary.js';

/** Who a component is: display name, hub namespace/name when known, commit, source URL. */
export interface Identity {
  name: string;
  namespace?: string;
  repoName?: string;
  commit?: string;
  url?: string;
  host?: string;
}

const HF_HOSTS = new Set(['huggingface.co', 'hf.co', 'www.huggingface.co']);

/** Names a root: git remote first, then the Hugging Face cache name, then the folder's basename. */
export function identityOf(root: Root): Identity {
  const base = root.dir.slice(root.dir.lastIndexOf('/') + 1) || root.dir || '/';
  if (root.remote) {
    const { namespace, name, url, host } = root.remote;
    const id: Identity = { name: namespace ? `${namespace}/${name}` : name, repoName: name, url, host };
    if (namespace) id.namespace = namespace;
    if (root.commit) id.commit = root.commit;
    return id;
  }
  if (root.hf) {
    const { namespace, name, commit } = root.hf;
    return { name: namespace ? `${namespace}/${name}` : name, repoName: name, commit, ...(namespace ? { namespace } : {}) };
  }
  return root.commit ? { name: base, commit: root.commit } : { name: base };
}

/** The purl `pkg:huggingface/<ns>/<name>@<commit>` when namespace, name and commit are all known. */
export function huggingfacePurl(id: Identity): string | undefined {
  if (!id.namespace || !id.repoName || !id.commit) return undefined;
  // Repositories on other hub-compatible servers say where they live (purl-spec's repository_url qualifier).
  let repositoryUrl: string | undefined;
  if (id.host && !HF_HOSTS.has(id.host) && id.url) {
    const u = new URL(id.url);
    repositoryUrl = `${u.protocol}//${u.host}`;
  }
  const parts = { namespace: id.namespace, name: id.repoName, version: id.commit.toLowerCase() };
  return purl({ type: 'huggingface', ...parts, qualifiers: { repository_url: repositoryUrl } });
}

/** Builds the model component of a root (or lone file) from its collected files. */
export function buildModel(path: string, id: Identity, root: Root | undefined, files: CollectedFiles): InvModel {
  const card: ModelCard = { ...(root?.card?.card ?? {}) };
  if (root?.config?.modelType) card.modelType = root.config.modelType;
  if (root?.config?.architectures) card.architectures = root.config.architectures;
  const licenses = sortedUnique(
    (root?.card?.licenses ?? []).flatMap((l) => cardLicenses({ ...card, license: l })),
  );
  const warnings = [
    ...(root?.card?.warnings ?? []).map((w) => `${path}/README.md: ${w}`),
    ...(root?.config?.warnings ?? []).map((w) => `${path}/config.json: ${w}`),
    ...files.warnings,
    ...fileWarnings(files.files),
  ];
  const model: InvModel = {
    name: id.name,
    path,
    licenses: licenses.length > 0 ? licenses : embeddedLicenses(files.files),
    card,
    formats: sortedUnique(files.files.map(modelFormatOf)),
    pickle: files.files.some(isPickleFile),
    files: files.files,
    warnings,
  };
  if (id.commit) model.version = id.commit;
  const purl = huggingfacePurl(id);
  if (purl) model.purl = purl;
  if (id.url || id.commit) model.source = { ...(id.url ? { url: id.url } : {}), ...(id.commit ? { commit: id.commit } : {}) };
  const parameters = parametersOf(files.files);
  if (parameters !== undefined) model.parameters = parameters;
  return model;
}
