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

/** Reads what the head of saved_model.pb says; never throws. */
export function parseSavedModel(head: Buffer): SavedModelFacts {
  const f: SavedModelFacts = { kind: 'savedmodel' };
  const text = head.toString('latin1');
  const tags = [...new Set([...text.matchAll(/\x22\x05(serve)|\x22\x05(train)|\x22\x03(gpu)|\x22\x03(tpu)/g)].map((m) => m.slice(1).find(Boolean) as string))];
  if (tags.length > 0) f.tags = tags.sort();
  const v = /\x2a[\x01-\x20]([0-9]+\.[0-9]+\.[0-9]+[^\x00-\x1f]*)/.exec(text);
  if (v) f.tensorflowVersion = v[1];
  return f;
}

/** A probe reading the head of a SavedModel graph. */
export function savedModelProbe(): Probe {
  return new HeadProbe(HEAD, (head) => parseSavedModel(head));
}
