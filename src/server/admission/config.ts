// Loading `--admission-config FILE`: YAML validated strictly (unknown keys, types) with file:line:col and key.
import { readFile } from 'node:fs/promises';
import { isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { describeError, fail } from '../../core/index.js';
import { YamlChecker } from '../../policy/yaml-check.js';
import { DEFAULT_ADMISSION_CONFIG, type AdmissionConfig } from './types.js';

const KEYS = ['version', 'exemptNamespaces', 'exemptImages', 'deadline'] as const;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** The API server waits at most 30 s for a webhook. */
const MAX_DEADLINE_MS = 30_000;

/** Reads and validates an admission configuration file; NOT_FOUND when missing, BAD_POLICY when invalid. */
export async function loadAdmissionConfig(file: string): Promise<AdmissionConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    fail('NOT_FOUND', `admission config ${file}: ${describeError(e)}`, { cause: e });
  }
  return parseAdmissionConfig(text, file);
}

/** A duration: `250ms`, `5s`, or a number of seconds. */
function duration(c: YamlChecker, node: Node | null, key: string): number {
  const v = isScalar(node) ? node.value : undefined;
  const m = typeof v === 'string' ? /^(\d+(?:\.\d+)?)(ms|s)$/.exec(v) : undefined;
  const ms = typeof v === 'number' ? v * 1000 : m ? Number(m[1]) * (m[2] === 'ms' ? 1 : 1000) : NaN;
  if (!Number.isFinite(ms) || ms < 100 || ms > MAX_DEADLINE_MS) c.fail(node, key, `must be a duration from 100ms to 30s (e.g. 5s, 1500ms), got ${JSON.stringify(v ?? null)}`);
  return ms;
}

/** Validates admission configuration text. */
export function parseAdmissionConfig(text: string, file: string): AdmissionConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const c = new YamlChecker(file, lines);
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = e.linePos?.[0];
    fail('BAD_POLICY', `${file}${pos ? `:${pos.line}:${pos.col}` : ''}: invalid YAML: ${e.message.split('\n')[0]}`);
  }
  const config: AdmissionConfig = { ...DEFAULT_ADMISSION_CONFIG, file };
  const root = doc.contents as Node | null;
  if (root === null) return config;
  const top = c.map(root, '', KEYS);
  const v = top.get('version');
  if (v && !(isScalar(v.value) && v.value.value === 1)) c.fail(v.value, 'version', 'must be 1');
  const ns = top.get('exemptNamespaces');
  if (ns) {
    config.exemptNamespaces = c.seq(ns.value, 'exemptNamespaces').map((item, i) => {
      const name = c.str(item, `exemptNamespaces[${i}]`);
      if (!NAMESPACE.test(name)) c.fail(item, `exemptNamespaces[${i}]`, `not a namespace name: ${name}`);
      return name;
    });
  }
  const images = top.get('exemptImages');
  if (images) config.exemptImages = c.strList(images.value, 'exemptImages');
  const d = top.get('deadline');
  if (d) config.deadlineMs = duration(c, d.value, 'deadline');
  return config;
}
