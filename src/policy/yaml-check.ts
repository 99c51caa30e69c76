// Validation helpers over a YAML document's nodes: every error names file:line:col and the dotted key.
import { isMap, isScalar, isSeq, type LineCounter, type Node, type Pair, type YAMLMap } from 'yaml';
import { fail } from '../core/errors.js';

/** Reads typed values out of YAML nodes, failing with BAD_POLICY at the node's position. */
export class YamlChecker {
  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  /** `file:line:col` of a node (or of the file start). */
  where(node: Node | null | undefined): string {
    const offset = node?.range?.[0];
    if (offset === undefined) return this.file;
    const pos = this.lines.linePos(offset);
    return `${this.file}:${pos.line}:${pos.col}`;
  }

  /** Fails with BAD_POLICY: `file:line:col: key: message`. */
  fail(node: Node | null | undefined, key: string, message: string): never {
    fail('BAD_POLICY', `${this.where(node)}: ${key === '' ? '' : `${key}: `}${message}`);
  }

  /** A mapping's entries by key, refusing keys not in `allowed` and non-string keys. */
  map(node: Node | null | undefined, key: string, allowed: readonly string[]): Map<string, { keyNode: Node; value: Node | null }> {
    if (!isMap(node)) this.fail(node, key, `must be a mapping, got ${kindOf(node)}`);
    const out = new Map<string, { keyNode: Node; value: Node | null }>();
    for (const pair of (node as YAMLMap).items as Pair<Node, Node | null>[]) {
      const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
      const path = key === '' ? (k ?? '?') : `${key}.${k ?? '?'}`;
      if (k === undefined) this.fail(pair.key, key, 'keys must be plain strings');
      if (!allowed.includes(k)) this.fail(pair.key, path, `unknown key (expected one of: ${allowed.join(', ')})`);
      out.set(k, { keyNode: pair.key, value: pair.value });
    }
    return out;
  }

  /** A sequence's items. */
  seq(node: Node | null | undefined, key: string): (Node | null)[] {
    if (!isSeq(node)) this.fail(node, key, `must be a list, got ${kindOf(node)}`);
    return node.items as (Node | null)[];
  }

  /** A non-empty string scalar. */
  str(node: Node | null | undefined, key: string): string {
    if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') this.fail(node, key, `must be a non-empty string, got ${kindOf(node)}`);
    return node.value;
  }

  /** A boolean scalar. */
  bool(node: Node | null | undefined, key: string): boolean {
    if (!isScalar(node) || typeof node.value !== 'boolean') this.fail(node, key, `must be true or false, got ${kindOf(node)}`);
    return node.value;
  }

  /** A non-negative integer scalar. */
  count(node: Node | null | undefined, key: string): number {
    if (!isScalar(node) || typeof node.value !== 'number' || !Number.isSafeInteger(node.value) || node.value < 0) this.fail(node, key, `must be a non-negative integer, got ${kindOf(node)}`);
    return node.value;
  }

  /** A list of non-empty strings. */
  strList(node: Node | null | undefined, key: string): string[] {
    return this.seq(node, key).map((item, i) => this.str(item, `${key}[${i}]`));
  }
}

function kindOf(node: Node | null | undefined): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return node.value === null ? 'null' : `${typeof node.value} ${JSON.stringify(node.value)}`;
  return 'an alias';
}
