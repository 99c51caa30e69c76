// The build context as the Dockerfile analysis sees it: the Dockerfile text and which COPY sources hold models.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MODEL_EXTS } from '../catalog/ml/rules.js';

const WALK_LIMIT = 20_000;

function extOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot === -1 ? '' : name.slice(dot + 1).toLowerCase();
}

/** True when a context path is a model file, or a folder (walked up to a bound) holding weights or a model config. */
export function contextHoldsModel(contextDir: string, rel: string): boolean {
  const start = resolve(contextDir, rel.replace(/^\/+/, ''));
  if (!start.startsWith(resolve(contextDir))) return false;
  let seen = 0;
  const visit = (p: string): boolean => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return false;
    }
    if (st.isFile()) {
      const name = p.slice(p.lastIndexOf('/') + 1);
      if (MODEL_EXTS.has(extOf(name))) return true;
      if (name === 'config.json' && st.size < 1 << 20) return /"(model_type|architectures)"/.test(readFileSync(p, 'utf8'));
      return false;
    }
    if (!st.isDirectory()) return false;
    for (const e of readdirSync(p)) {
      if (e === '.git' || ++seen > WALK_LIMIT) continue;
      if (visit(join(p, e))) return true;
    }
    return false;
  };
  return !/[*?[]/.test(rel) && visit(start);
}

/** The Dockerfile path of a build: -f (relative to the working directory, as docker reads it) or CONTEXT/Dockerfile. */
export function dockerfilePath(contextDir: string, file?: string): string {
  if (file === '-') return file;
  return file ? resolve(file) : join(contextDir, 'Dockerfile');
}
