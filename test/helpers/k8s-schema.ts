// Kubernetes API schema checks for manifests, from the kubernetes-models package (generated from the Kubernetes
// OpenAPI): its validators (types, enums, required fields, formats), plus unknown-field detection read from the
// same package's type declarations, since the validators accept unknown fields as the API server's lenient mode does.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from './cli.js';

interface Shape {
  props: Map<string, string>;
  imports: Map<string, string>;
}

type ModelClass = new (d: never) => { validate(): void };

/** The kinds the templates use, imported statically (the package's exports map names each file). */
const MODELS: Record<string, () => Promise<ModelClass>> = {
  'v1/Namespace': async () => (await import('kubernetes-models/v1/Namespace')).Namespace,
  'v1/ConfigMap': async () => (await import('kubernetes-models/v1/ConfigMap')).ConfigMap,
  'v1/Secret': async () => (await import('kubernetes-models/v1/Secret')).Secret,
  'v1/Service': async () => (await import('kubernetes-models/v1/Service')).Service,
  'apps/v1/Deployment': async () => (await import('kubernetes-models/apps/v1/Deployment')).Deployment,
  'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration': async () => (await import('kubernetes-models/admissionregistration.k8s.io/v1/MutatingWebhookConfiguration')).MutatingWebhookConfiguration,
  'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration': async () => (await import('kubernetes-models/admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration')).ValidatingWebhookConfiguration,
};

const shapes = new Map<string, Shape | undefined>();

/** The property types and imports of the interface declared in a `.d.ts` file (undefined for aliases). */
function shapeOf(file: string): Shape | undefined {
  if (shapes.has(file)) return shapes.get(file);
  const text = readFileSync(file, 'utf8');
  const imports = new Map<string, string>();
  for (const m of text.matchAll(/^import \{ ([^}]+) \} from "([^"]+)";$/gm)) {
    const spec = m[2] ?? '';
    const target = spec.startsWith('.') ? join(dirname(file), spec.replace(/\.js$/, '.d.ts')) : join(repoRoot, 'node_modules', `${spec}.d.ts`);
    for (const name of (m[1] ?? '').split(',').map((s) => s.trim())) imports.set(name, target);
  }
  const body = /^export interface I\w+(?: extends [\w, ]+)? \{\n([\s\S]*?)\n\}$/m.exec(text)?.[1];
  let shape: Shape | undefined;
  if (body !== undefined) {
    const props = new Map<string, string>();
    let current: string | undefined;
    for (const line of body.split('\n')) {
      const p = /^ {4}"([^"]+)"\??: (.*)$/.exec(line);
      if (p) props.set((current = p[1] ?? ''), p[2] ?? '');
      else if (current !== undefined) props.set(current, `${props.get(current)} ${line.trim()}`);
    }
    shape = { props, imports };
  }
  shapes.set(file, shape);
  return shape;
}

function unknownFields(value: unknown, file: string, path: string, out: string[]): void {
  const shape = shapeOf(file);
  if (!shape || typeof value !== 'object' || value === null || Array.isArray(value)) return;
  for (const [key, v] of Object.entries(value)) {
    const type = shape.props.get(key);
    if (type === undefined) {
      out.push(`${path}/${key}`);
      continue;
    }
    const ref = [...type.matchAll(/\bI\w+/g)].map((m) => shape.imports.get(m[0])).find((f) => f !== undefined && existsSync(f));
    if (!ref) continue;
    const items = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : type.includes('[key: string]') && typeof v === 'object' && v ? Object.entries(v) : [['', v] as const];
    for (const [k, x] of items) unknownFields(x, ref, k === '' ? `${path}/${key}` : `${path}/${key}/${k}`, out);
  }
}

/** Problems of one manifest against the Kubernetes API schema of its apiVersion and kind; empty when valid. */
export async function k8sSchemaProblems(doc: Record<string, unknown>): Promise<string[]> {
  const apiVersion = String(doc.apiVersion);
  const kind = String(doc.kind);
  const file = join(repoRoot, 'node_modules', 'kubernetes-models', apiVersion, `${kind}.d.ts`);
  const load = MODELS[`${apiVersion}/${kind}`];
  if (!load || !existsSync(file)) return [`no schema for ${apiVersion} ${kind}`];
  const Model = await load();
  const problems: string[] = [];
  try {
    new Model(doc as never).validate();
  } catch (e) {
    problems.push((e as Error).message);
  }
  const unknown: string[] = [];
  unknownFields(doc, file, '', unknown);
  return [...problems, ...unknown.map((p) => `unknown field ${p}`)];
}
