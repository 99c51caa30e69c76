// Model and dataset cards (README.md YAML front matter) and config.json: the facts they state, with warnings when broken.
import { parse as parseYaml } from 'yaml';
import type { ModelCard } from '../types.js';

/** Front-matter keys that only dataset cards use. */
const DATASET_KEYS = [
  'configs', 'dataset_info', 'task_categories', 'size_categories', 'task_ids', 'pretty_name', 'annotations_creators',
  'language_creators', 'source_datasets', 'multilinguality', 'paperswithcode_id', 'viewer',
];
/** Front-matter keys that mark a model card. */
const MODEL_KEYS = [
  'pipeline_tag', 'library_name', 'base_model', 'model-index', 'model_name', 'inference', 'widget', 'license',
  'license_name', 'tags', 'datasets', 'language', 'metrics', 'base_model_relation', 'thumbnail',
];

/** What a README's front matter says. */
export interface ParsedCard {
  /** Which kind of card the keys suggest; `none` when there is no front matter (or no known key). */
  type: 'model' | 'dataset' | 'none';
  card: ModelCard;
  /** Every license id the card lists (license may be a list). */
  licenses: string[];
  prettyName?: string;
  warnings: string[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const strList = (v: unknown): string[] | undefined => {
  const list = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x.trim() !== '');
  return list.length > 0 ? list.map((x) => x.trim()) : undefined;
};

/** The YAML text between the opening `---` line and the closing `---` (or `...`) line, or undefined when absent. */
export function frontMatterOf(text: string): string | undefined {
  const m = /^\uFEFF?---[ \t]*\r?\n/.exec(text);
  if (!m) return undefined;
  const rest = text.slice(m[0].length);
  const end = /^(?:---|\.\.\.)[ \t]*$/m.exec(rest);
  return end ? rest.slice(0, end.index) : '\0unterminated';
}

/** Parses a README's front matter into card facts; invalid YAML gives a warning and an empty card, never a throw. */
export function parseCard(text: string): ParsedCard {
  const out: ParsedCard = { type: 'none', card: {}, licenses: [], warnings: [] };
  const yaml = frontMatterOf(text);
  if (yaml === undefined) return out;
  if (yaml === '\0unterminated') {
    out.warnings.push('model card front matter has no closing --- line');
    return out;
  }
  let doc: unknown;
  try {
    doc = parseYaml(yaml, { maxAliasCount: 50 });
  } catch (e) {
    // Still a card: the folder is a model folder whose card we could not read.
    out.type = 'model';
    out.warnings.push(`model card front matter is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
    return out;
  }
  if (doc === null || doc === undefined) return out;
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    out.type = 'model';
    out.warnings.push('model card front matter is not a YAML mapping');
    return out;
  }
  const d = doc as Record<string, unknown>;
  const has = (keys: string[]): boolean => keys.some((k) => k in d);
  const modelOnly = has(['pipeline_tag', 'library_name', 'base_model', 'model-index', 'model_name']);
  out.type = has(DATASET_KEYS) && !modelOnly ? 'dataset' : has(MODEL_KEYS) ? 'model' : 'none';
  const c = out.card;
  const licenses = strList(d.license) ?? [];
  out.licenses = licenses;
  if (licenses[0]) c.license = licenses[0];
  assign(c, 'licenseName', str(d.license_name));
  assign(c, 'licenseLink', str(d.license_link));
  assign(c, 'task', str(d.pipeline_tag));
  assign(c, 'libraryName', str(d.library_name));
  assign(c, 'datasets', strList(d.datasets));
  assign(c, 'baseModel', strList(d.base_model));
  assign(c, 'language', strList(d.language));
  assign(c, 'tags', strList(d.tags));
  out.prettyName = str(d.pretty_name);
  return out;
}

function assign<K extends keyof ModelCard>(c: ModelCard, k: K, v: ModelCard[K] | undefined): void {
  if (v !== undefined) c[k] = v;
}

/** What a config.json says about the model: model_type and architectures (both absent for non-model configs). */
export interface ParsedConfig {
  modelType?: string;
  architectures?: string[];
  warnings: string[];
}

/** Parses a config.json; invalid JSON gives a warning, never a throw. */
export function parseConfig(text: string): ParsedConfig {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { warnings: ['config.json is not valid JSON'] };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return { warnings: ['config.json is not a JSON object'] };
  const d = doc as Record<string, unknown>;
  const out: ParsedConfig = { warnings: [] };
  const type = str(d.model_type);
  const arch = strList(d.architectures);
  if (type) out.modelType = type;
  if (arch && Array.isArray(d.architectures)) out.architectures = arch;
  return out;
}

/** True when a parsed config.json describes a model (it names a model_type or architectures). */
export function isModelConfig(c: ParsedConfig): boolean {
  return c.modelType !== undefined || c.architectures !== undefined;
}
