// Finding model and dataset folders in the merged view: configs, cards, HF cache snapshots, HF git clones, lone files.
import { classifyContent } from '../formats/classify.js';
import { extensionOf } from '../formats/detect.js';
import type { FileView, ViewFile } from '../types.js';
import { isModelConfig, parseCard, parseConfig, type ParsedCard, type ParsedConfig } from './card.js';
import { cmp } from './files.js';
import { gitHeadCommit, hfCacheSnapshot, isHfCacheBlob, parseRemoteUrl, remoteFromGitConfig, textAt, type HfCacheRef, type RemoteRef } from './git.js';
import { isMlFilePath, MODEL_EXTS } from './rules.js';

/** A folder that is a model or a dataset, with what its marker files say. */
export interface Root {
  dir: string;
  kind: 'model' | 'dataset';
  card?: ParsedCard;
  config?: ParsedConfig;
  hf?: HfCacheRef;
  remote?: RemoteRef;
  commit?: string;
}

/** ML files outside every root: each (or each set of shards) is its own model or dataset. */
export interface LoneGroup {
  kind: 'model' | 'dataset';
  name: string;
  entries: ViewFile[];
}

const HF_HOSTS = new Set(['huggingface.co', 'hf.co', 'www.huggingface.co']);
const SHARD_RE = /^(.+?)[-_.]\d{1,5}-of-\d{1,5}(\.[^/]+)$/;
/** Data files that are a dataset on their own (JSON Lines and CSV files are too common to count alone). */
const LONE_DATA_EXTS = new Set(['parquet', 'arrow', 'feather']);
const LONE_SKIP_RE = /(?:^|\/)(?:site-packages|dist-packages|node_modules|\.git)\//;

const dirOf = (p: string): string => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
const baseOf = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/** Reads the markers of one folder and decides whether it is a model or dataset root. */
export function rootOf(view: FileView, dir: string): Root | undefined {
  const at = (name: string): string => (dir === '' ? name : `${dir}/${name}`);
  const readme = view.children(dir).find((c) => /^readme\.md$/i.test(baseOf(c.path)) && c.type !== 'dir');
  const cardText = readme && textAt(view, readme.path);
  const card = cardText !== undefined ? parseCard(cardText) : undefined;
  const configText = textAt(view, at('config.json'));
  const config = configText !== undefined ? parseConfig(configText) : undefined;
  const otherMarker = ['model_index.json', 'adapter_config.json'].some((n) => view.get(at(n)) !== undefined);
  const hf = hfCacheSnapshot(dir);
  const gitConfig = textAt(view, at('.git/config'));
  const url = gitConfig !== undefined ? remoteFromGitConfig(gitConfig) : undefined;
  const remote = url !== undefined ? parseRemoteUrl(url) : undefined;
  const hfRemote = remote !== undefined && HF_HOSTS.has(remote.host);
  const modelConfig = config !== undefined && isModelConfig(config);
  // Where the folder came from decides first (cache kind, hub URL), then the card's keys, then the config.
  let kind: Root['kind'] | undefined;
  if (hf) kind = hf.kind;
  else if (hfRemote) kind = remote.dataset ? 'dataset' : 'model';
  else if (card?.type === 'dataset') kind = 'dataset';
  else if (card?.type === 'model' || modelConfig || otherMarker) kind = 'model';
  if (!kind) return undefined;
  const root: Root = { dir, kind };
  if (card) root.card = card;
  if (config) root.config = config;
  if (hf) root.hf = hf;
  if (remote) root.remote = remote;
  const commit = gitConfig !== undefined ? gitHeadCommit(view, at('.git')) : undefined;
  if (commit) root.commit = commit;
  return root;
}

/** Finds the outermost model and dataset roots, and the ML files outside them grouped into lone components. */
export function findLayout(view: FileView): { roots: Root[]; lone: LoneGroup[] } {
  const candidates = new Set<string>();
  const mlFiles: ViewFile[] = [];
  for (const f of view.all()) {
    if (f.type === 'dir') continue;
    const name = baseOf(f.path);
    const dir = dirOf(f.path);
    if (name === 'config.json' || /^readme\.md$/i.test(name) || name === 'model_index.json' || name === 'adapter_config.json') {
      candidates.add(dir);
    }
    if (/(?:^|\/)\.git\/config$/.test(f.path)) candidates.add(dirOf(dir));
    const snap = /^(.*?(?:models|datasets)--[^/]+\/snapshots\/[^/]+)\//.exec(f.path);
    if (snap) candidates.add(snap[1]!);
    if (!isHfCacheBlob(f.path) && (isMlFilePath(f.path) || isWeightsContent(f))) mlFiles.push(f);
  }
  const found = [...candidates]
    .sort(cmp)
    .map((d) => rootOf(view, d))
    .filter((r): r is Root => r !== undefined);
  const roots: Root[] = [];
  for (const r of found) if (!roots.some((o) => inside(r.dir, o.dir))) roots.push(r);
  // Weights identified by content are models wherever they lie (package folders, .git, anything); files matched by
  // name alone are not looked for in package folders.
  const lone = groupLone(view, mlFiles.filter((f) => !roots.some((r) => inside(f.path, r.dir)) && (!LONE_SKIP_RE.test(f.path) || isWeightsContent(f))));
  return { roots, lone };
}

/** True when `path` is `dir` itself or below it. */
export function inside(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(`${dir}/`);
}

/** True for a regular file whose content (not its name) is model weights. */
export function isWeightsContent(f: ViewFile): boolean {
  return f.type === 'file' && classifyContent(f.path, f.size, f.facts)?.cls === 'weights';
}

function isLoneModel(view: FileView, f: ViewFile): boolean {
  if (isWeightsContent(f)) return true;
  const ext = extensionOf(f.path);
  if (!MODEL_EXTS.has(ext)) return false;
  if (ext !== 'bin') return true;
  // A .bin is a model only when its probe recognized a model format.
  const kind = (f.type === 'symlink' ? view.resolve(f.path) : f)?.facts?.kind;
  return kind !== undefined && ['pytorch', 'pickle', 'safetensors', 'gguf', 'onnx', 'zip'].includes(kind);
}

function groupLone(view: FileView, files: ViewFile[]): LoneGroup[] {
  const groups = new Map<string, LoneGroup>();
  for (const f of files) {
    const ext = extensionOf(f.path);
    const kind = isLoneModel(view, f) ? 'model' : LONE_DATA_EXTS.has(ext) ? 'dataset' : undefined;
    if (!kind) continue;
    const shard = SHARD_RE.exec(baseOf(f.path));
    const name = shard ? shard[1]! : baseOf(f.path).replace(/\.[^.]+$/, '');
    const key = shard ? `${dirOf(f.path)}/${shard[1]}${shard[2]}` : f.path;
    const g = groups.get(key);
    if (g) g.entries.push(f);
    else groups.set(key, { kind, name, entries: [f] });
  }
  return [...groups.values()];
}
