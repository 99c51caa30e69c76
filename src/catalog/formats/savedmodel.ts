// TensorFlow SavedModel graphs (saved_model.pb): a SavedModel protobuf; the head says which tags it serves.
import { HeadProbe, type Probe, type ProbeFacts } from '../probe.js';

const HEAD = 64 * 1024;

/** Facts of a SavedModel graph file. */
export interface SavedModelFacts extends ProbeFacts {
  kind: 'savedmodel';
  /** MetaGraph tags seen in the head (e.g. "serve"). */
  tags?: string[];
  tensorflowVersion?: string;
}

/** Reads what the head of saved_model.pb says (MetaInfoDef tags, field 4; tensorflow_version, field 5); never throws. */
export function parseSavedModel(head: Buffer): SavedModelFacts {
  const f: SavedModelFacts = { kind: 'savedmodel' };
  const tags = new Set<string>();
  for (const tag of ['serve', 'train', 'gpu', 'tpu']) {
    if (head.includes(Buffer.concat([Buffer.from([0x22, tag.length]), Buffer.from(tag)]))) tags.add(tag);
  }
  if (tags.size > 0) f.tags = [...tags].sort();
  for (let i = head.indexOf(0x2a); i >= 0 && i + 2 < head.length; i = head.indexOf(0x2a, i + 1)) {
    const n = head[i + 1]!;
    const v = head.toString('latin1', i + 2, Math.min(i + 2 + n, head.length));
    if (n >= 5 && n <= 32 && /^\d+\.\d+\.\d+[\w.+-]*$/.test(v)) {
      f.tensorflowVersion = v;
      break;
    }
  }
  return f;
}

/** A probe reading the head of a SavedModel graph. */
export function savedModelProbe(): Probe {
  return new HeadProbe(HEAD, (head) => parseSavedModel(head));
}
