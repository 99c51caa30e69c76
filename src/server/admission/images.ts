// Every container image of a Pod or a workload's pod template, each with the JSON pointer of its `image` field.
import { BadReview, type GroupVersionKind } from './review.js';

/** One container image and where it is: its JSON pointer, container name and list. */
export interface ContainerImage {
  pointer: string;
  container: string;
  list: 'containers' | 'initContainers' | 'ephemeralContainers';
  image: string;
}

/** Where each kind keeps its pod spec, as object keys from the root; unlisted kinds carry no pod spec. */
const POD_SPEC_PATHS: Record<string, { group: string; path: string[] }> = {
  Pod: { group: '', path: ['spec'] },
  ReplicationController: { group: '', path: ['spec', 'template', 'spec'] },
  PodTemplate: { group: '', path: ['template', 'spec'] },
  Deployment: { group: 'apps', path: ['spec', 'template', 'spec'] },
  StatefulSet: { group: 'apps', path: ['spec', 'template', 'spec'] },
  DaemonSet: { group: 'apps', path: ['spec', 'template', 'spec'] },
  ReplicaSet: { group: 'apps', path: ['spec', 'template', 'spec'] },
  Job: { group: 'batch', path: ['spec', 'template', 'spec'] },
  CronJob: { group: 'batch', path: ['spec', 'jobTemplate', 'spec', 'template', 'spec'] },
};

const LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

/** True when the kind carries a pod spec this webhook reviews. */
export function hasPodSpec(kind: GroupVersionKind): boolean {
  const p = POD_SPEC_PATHS[kind.kind];
  return p !== undefined && p.group === kind.group;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** RFC 6901 escaping of one pointer token. */
function token(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The images of `object` (of kind `kind`); a malformed pod spec is a BadReview (a denial), never a crash. */
export function containerImages(kind: GroupVersionKind, object: unknown, uid?: string): ContainerImage[] {
  const where = POD_SPEC_PATHS[kind.kind];
  if (!where || where.group !== kind.group) return [];
  let node: unknown = object;
  for (const key of where.path) {
    if (!isObject(node)) throw new BadReview(`${kind.kind} has no ${where.path.join('.')}`, uid);
    node = node[key];
  }
  if (!isObject(node)) throw new BadReview(`${kind.kind} has no ${where.path.join('.')}`, uid);
  const base = `/${where.path.map(token).join('/')}`;
  const out: ContainerImage[] = [];
  for (const list of LISTS) {
    const items = node[list];
    if (items === undefined || items === null) continue;
    if (!Array.isArray(items)) throw new BadReview(`${where.path.join('.')}.${list} is not a list`, uid);
    for (const [i, c] of items.entries()) {
      if (!isObject(c)) throw new BadReview(`${list}[${i}] is not an object`, uid);
      if (typeof c.image !== 'string' || c.image.trim() === '') throw new BadReview(`${list}[${i}] has no image`, uid);
      const name = typeof c.name === 'string' ? c.name : `${list}[${i}]`;
      out.push({ pointer: `${base}/${list}/${i}/image`, container: name, list, image: c.image });
    }
  }
  return out;
}
