// Comparing a model folder's files against its attested statement: changed, missing and extra files.
import { isMlbuildError } from '../core/errors.js';
import { comparePathComponents, hexDigest, isIgnoredPath, parseModelStatement, type ModelFile, type ModelStatement } from './model-statement.js';
import type { Statement } from './statement.js';

/** One difference between the attested model and the files found. */
export interface ModelFinding {
  kind: 'changed' | 'missing' | 'extra';
  path: string;
  /** The attested sha256 (hex), for changed and missing files. */
  want?: string;
  /** The found sha256 (hex), for changed and extra files. */
  got?: string;
}

/** Lists every difference (empty when the files match); files under the statement's ignore paths are skipped. */
export function compareModel(statement: Statement<unknown> | ModelStatement, actualFiles: Iterable<ModelFile>): ModelFinding[] {
  const model = 'predicateType' in statement ? parseModelStatement(statement) : statement;
  const ignore = model.predicate.serialization.ignore_paths;
  const want = new Map(model.predicate.resources.map((r) => [r.name, r.digest]));
  const got = new Map<string, string>();
  for (const f of actualFiles) {
    if (isIgnoredPath(f.path, ignore)) continue;
    got.set(f.path, safeHex(f.digest));
  }
  const findings: ModelFinding[] = [];
  for (const [path, w] of want) {
    const g = got.get(path);
    if (g === undefined) findings.push({ kind: 'missing', path, want: w });
    else if (g !== w) findings.push({ kind: 'changed', path, want: w, got: g });
  }
  for (const [path, g] of got) if (!want.has(path)) findings.push({ kind: 'extra', path, got: g });
  return findings.sort((a, b) => comparePathComponents(a.path, b.path));
}

function safeHex(d: string): string {
  try {
    return hexDigest(d, 'file');
  } catch (e) {
    if (isMlbuildError(e)) return String(d); // an unreadable digest can only be reported as changed/extra
    throw e;
  }
}
