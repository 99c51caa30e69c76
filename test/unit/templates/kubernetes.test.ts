// templates/kubernetes: every manifest validates against the Kubernetes API schemas (kubernetes-models, generated
// from the Kubernetes OpenAPI), and the webhooks are configured as the gate needs (fail closed, v1 reviews, no
// side effects on dry runs, reinvocation, the gate's own namespace left out, within the API server's timeout).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseAdmissionConfig } from '../../../src/server/admission/index.js';
import { repoRoot } from '../../helpers/cli.js';
import { k8sSchemaProblems } from '../../helpers/k8s-schema.js';

const dir = join(repoRoot, 'templates', 'kubernetes');

async function manifests(): Promise<{ file: string; doc: Record<string, unknown> }[]> {
  const out: { file: string; doc: Record<string, unknown> }[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort()) {
    for (const d of parseAllDocuments(await readFile(join(dir, file), 'utf8'))) {
      if (d.errors.length > 0) throw new Error(`${file}: ${d.errors[0]?.message}`);
      out.push({ file, doc: d.toJS() as Record<string, unknown> });
    }
  }
  return out;
}

interface Webhook {
  name: string;
  failurePolicy: string;
  timeoutSeconds: number;
  sideEffects: string;
  admissionReviewVersions: string[];
  reinvocationPolicy?: string;
  clientConfig: { service: { name: string; namespace: string; path: string; port: number } };
  namespaceSelector: { matchExpressions: { key: string; operator: string; values: string[] }[] };
  rules: { apiGroups: string[]; resources: string[]; operations: string[] }[];
}

describe('templates/kubernetes', () => {
  it('validates every manifest against the Kubernetes API schemas', async () => {
    const all = await manifests();
    expect(all.map((m) => m.doc.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'MutatingWebhookConfiguration', 'Namespace', 'Secret', 'Secret', 'Service', 'ValidatingWebhookConfiguration']);
    for (const { file, doc } of all) expect(await k8sSchemaProblems(doc), file).toEqual([]);
  });

  it('catches what the API server would refuse (the check itself works)', async () => {
    const webhook = (await manifests()).find((m) => m.doc.kind === 'MutatingWebhookConfiguration')?.doc as { webhooks: Record<string, unknown>[] };
    const bad = structuredClone(webhook) as { webhooks: Record<string, unknown>[] };
    (bad.webhooks[0] as Record<string, unknown>).sideEffects = 'Sometimes';
    expect(await k8sSchemaProblems(bad as unknown as Record<string, unknown>)).not.toEqual([]);
    const typo = structuredClone(webhook) as { webhooks: Record<string, unknown>[] };
    (typo.webhooks[0] as Record<string, unknown>).failurePolicies = 'Fail';
    expect(await k8sSchemaProblems(typo as unknown as Record<string, unknown>)).toEqual(['unknown field /webhooks/0/failurePolicies']);
  });

  it('configures both webhooks to fail closed on v1 reviews, outside the gate namespace, at the gate service', async () => {
    const all = await manifests();
    const service = all.find((m) => m.doc.kind === 'Service')?.doc as { metadata: { name: string; namespace: string } };
    const deployment = all.find((m) => m.doc.kind === 'Deployment')?.doc as { metadata: { namespace: string }; spec: { template: { spec: { containers: { args: string[] }[] } } } };
    for (const kind of ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']) {
      const hooks = (all.find((m) => m.doc.kind === kind)?.doc as { webhooks: Webhook[] }).webhooks;
      expect(hooks).toHaveLength(1);
      const h = hooks[0] as Webhook;
      expect(h).toMatchObject({ failurePolicy: 'Fail', sideEffects: 'NoneOnDryRun', admissionReviewVersions: ['v1'] });
      expect(h.timeoutSeconds).toBeGreaterThan(5);
      expect(h.timeoutSeconds).toBeLessThanOrEqual(30);
      expect(h.clientConfig.service).toMatchObject({ name: service.metadata.name, namespace: service.metadata.namespace, path: kind.startsWith('Mutating') ? '/admission/mutate' : '/admission/validate' });
      expect(h.namespaceSelector.matchExpressions).toContainEqual(expect.objectContaining({ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: expect.arrayContaining([deployment.metadata.namespace]) }));
      expect(h.rules.flatMap((r) => r.resources).sort()).toEqual(['cronjobs', 'daemonsets', 'deployments', 'jobs', 'pods', 'pods/ephemeralcontainers', 'podtemplates', 'replicasets', 'replicationcontrollers', 'statefulsets']);
      if (kind.startsWith('Mutating')) expect(h.reinvocationPolicy).toBe('IfNeeded');
    }
    const args = deployment.spec.template.spec.containers[0]?.args ?? [];
    expect(args[0]).toBe('gate');
    expect(args).toContain('--admission-config=/etc/mlbuild/policy/admission.yaml');
  });

  it('ships an admission configuration the gate accepts, with a deadline under the webhook timeout', async () => {
    const cm = (await manifests()).find((m) => m.doc.kind === 'ConfigMap')?.doc as { data: Record<string, string> };
    const config = parseAdmissionConfig(cm.data['admission.yaml'] ?? '', 'admission.yaml');
    expect(config.deadlineMs).toBeLessThan(10_000);
    expect(config.exemptNamespaces).toContain('mlbuild-system');
  });
});
