// AdmissionReview v1 bodies shaped as kube-apiserver sends them, around the kubectl-made objects in test/fixtures.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './cli.js';

/** The placeholder image the fixtures were made with. */
export const PLACEHOLDER_IMAGE = 'IMAGE.example/placeholder:1';

const RESOURCES: Record<string, { group: string; version: string; resource: string }> = {
  Pod: { group: '', version: 'v1', resource: 'pods' },
  Deployment: { group: 'apps', version: 'v1', resource: 'deployments' },
  StatefulSet: { group: 'apps', version: 'v1', resource: 'statefulsets' },
  DaemonSet: { group: 'apps', version: 'v1', resource: 'daemonsets' },
  ReplicaSet: { group: 'apps', version: 'v1', resource: 'replicasets' },
  Job: { group: 'batch', version: 'v1', resource: 'jobs' },
  CronJob: { group: 'batch', version: 'v1', resource: 'cronjobs' },
};

/** A kubectl-made object from test/fixtures/kubernetes (pod, deployment, job, cronjob) with `image` in place. */
export function fixtureObject(name: 'pod' | 'deployment' | 'job' | 'cronjob', image: string): Record<string, unknown> {
  const text = readFileSync(join(repoRoot, 'test', 'fixtures', 'kubernetes', `${name}.json`), 'utf8');
  return JSON.parse(text.split(PLACEHOLDER_IMAGE).join(image)) as Record<string, unknown>;
}

/** An object of another workload kind with the deployment's pod template (StatefulSet, DaemonSet, ReplicaSet). */
export function workloadObject(kind: 'StatefulSet' | 'DaemonSet' | 'ReplicaSet', image: string): Record<string, unknown> {
  const d = fixtureObject('deployment', image) as { spec: Record<string, unknown> };
  return { ...d, kind, spec: { selector: d.spec.selector, template: d.spec.template } };
}

/** The AdmissionReview request the API server sends for `object` (CREATE in `namespace` unless told). */
export function admissionReview(object: Record<string, unknown>, opts: { namespace?: string; operation?: string; dryRun?: boolean; uid?: string } = {}): Record<string, unknown> {
  const kind = String(object.kind);
  const r = RESOURCES[kind] ?? { group: '', version: 'v1', resource: `${kind.toLowerCase()}s` };
  const gvk = { group: r.group, version: r.version, kind };
  const operation = opts.operation ?? 'CREATE';
  return {
    kind: 'AdmissionReview',
    apiVersion: 'admission.k8s.io/v1',
    request: {
      uid: opts.uid ?? randomUUID(),
      kind: gvk,
      resource: { group: r.group, version: r.version, resource: r.resource },
      requestKind: gvk,
      requestResource: { group: r.group, version: r.version, resource: r.resource },
      name: (object.metadata as { name?: string } | undefined)?.name,
      namespace: opts.namespace ?? 'default',
      operation,
      userInfo: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] },
      object,
      oldObject: null,
      dryRun: opts.dryRun ?? false,
      options: { kind: operation === 'UPDATE' ? 'UpdateOptions' : 'CreateOptions', apiVersion: 'meta.k8s.io/v1', fieldManager: 'kubectl-client-side-apply' },
    },
  };
}

/** The response part of an AdmissionReview answer. */
export interface ReviewAnswer {
  uid: string;
  allowed: boolean;
  status?: { code: number; message: string };
  patchType?: string;
  patch?: string;
  warnings?: string[];
}

/** Decodes the base64 JSONPatch of an answer. */
export function patchOf(a: ReviewAnswer): { op: string; path: string; value: string }[] {
  return a.patch ? (JSON.parse(Buffer.from(a.patch, 'base64').toString('utf8')) as { op: string; path: string; value: string }[]) : [];
}
