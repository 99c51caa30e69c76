// Finds the steps of a Dockerfile that fetch models: git clones, hf downloads, model-file downloads, ADD, COPY.
import { posix } from 'node:path';
import { parseAssignments, type Dockerfile, type Instruction } from './dockerfile.js';
import { substitute, type DockerfileVars } from './dockerfile-subst.js';
import { shellCommands } from './shell-script.js';

/** One model fetch found in a Dockerfile. */
export interface ModelFetch {
  /** The instruction that fetches (line and text for messages). */
  line: number;
  instruction: string;
  stage: number;
  kind: 'git' | 'huggingface' | 'url' | 'copy';
  /** The source: a URL (git or http), or a path inside the build context for COPY. */
  source: string;
  /** The pinned revision (branch, tag or commit) when the step names one. */
  revision?: string;
  /** Where the model lands in the image, when known. */
  dest?: string;
  /** Specific files of the repository the step downloads (hf download FILES…). */
  files?: string[];
  /** Set when the source or revision is only known when the step runs (`$(…)`, a variable the analysis cannot
   * know): the text as written. Such a fetch is not looked up before the build; the post-build check judges it. */
  unresolved?: string;
}

/** Options of the analysis: build args and a test for model folders in the context (for COPY). */
export interface AnalyzeOptions {
  buildArgs?: Record<string, string>;
  /** Returns true when the context path (file or folder) holds model files. */
  isModelPath?: (contextPath: string) => boolean;
  /** Only stages up to this one (--target) are considered. */
  targetStage?: number;
}

const MODEL_FILE = /\.(safetensors|gguf|ggml|onnx|bin|pt|pth|ckpt|pkl|pickle|h5|hdf5|keras|tflite|msgpack|npz|joblib|mlmodel|pb)(\?.*)?$/i;
const GIT_VALUE_FLAGS = new Set(['-b', '--branch', '--depth', '-o', '--origin', '--reference', '-c', '--config', '--filter', '-j', '--jobs', '--separate-git-dir', '--template', '-u', '--upload-pack', '--shallow-since', '--shallow-exclude', '--reference-if-able', '--server-option']);

/** True for URLs that name a git repository rather than a file. */
export function isGitUrl(s: string): boolean {
  return /^(git@|git:\/\/|ssh:\/\/)/.test(s) || /^https?:\/\/[^#]*\.git(#.*)?$/.test(s) || /^https?:\/\/huggingface\.co\/[^/]+\/[^/]+\/?$/.test(s);
}

function hfUrl(repo: string, type?: string): string {
  const prefix = type === 'dataset' ? 'datasets/' : type === 'space' ? 'spaces/' : '';
  return `https://huggingface.co/${prefix}${repo}`;
}

/** The value of an option (`-b V`, `--branch=V`) and the index of the word that holds it. */
function option(words: string[], names: string[]): { value?: string; at: number } {
  for (let i = 0; i < words.length; i++) {
    for (const n of names) {
      if (words[i] === n) return { value: words[i + 1], at: i + 1 };
      if (words[i].startsWith(`${n}=`)) return { value: words[i].slice(n.length + 1), at: i };
    }
  }
  return { at: -1 };
}

/** The words of a RUN: exec form runs no shell (except `sh -c SCRIPT`), shell form and heredocs run /bin/sh. */
function runScript(ins: Instruction): { script: string; exec?: string[] } {
  const j = ins.json;
  if (j && !(/(^|\/)(ba|da)?sh$/.test(j[0] ?? '') && j[1] === '-c')) return { script: j.join(' '), exec: j };
  return { script: [j ? (j[2] ?? '') : ins.args, ...ins.heredocs].join('\n') };
}

function runFetches(ins: Instruction, vars: DockerfileVars, workdir: string): ModelFetch[] {
  const out: ModelFetch[] = [];
  /** The latest clone into each folder, for a later `git checkout` there. */
  const clones = new Map<string, ModelFetch>();
  const base = { line: ins.line, instruction: ins.text, stage: ins.stage };
  let cwd: string | undefined = workdir;
  const abs = (p: string | undefined) => (cwd === undefined || p === undefined ? undefined : posix.resolve(cwd, p));
  const { script, exec } = runScript(ins);
  const commands = exec ? [{ words: exec, unresolved: new Set<number>() }] : shellCommands(script, new Map(vars));
  for (const c of commands) {
    const skip = c.words[0] === 'sudo' || c.words[0] === 'env' ? 1 + c.words.slice(1).findIndex((x) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(x)) : 0;
    const words = c.words.slice(skip);
    const unknown = (k: number) => k >= 0 && c.unresolved.has(k + skip);
    // Only the run can tell the value of this word: the text as written.
    const unresolved = (...ks: number[]) => ks.filter(unknown).map((k) => words[k]).join(' ') || undefined;
    if (words[0] === 'cd' && words[1]) cwd = unknown(1) ? undefined : abs(words[1]);
    const gitAt = words[0] === 'git' ? (words[1] === 'lfs' ? 2 : 1) : -1;
    if (gitAt > 0 && words[gitAt] === 'clone') {
      const positional: number[] = [];
      for (let k = gitAt + 1; k < words.length; k++) {
        if (GIT_VALUE_FLAGS.has(words[k])) k++;
        else if (!words[k].startsWith('-') || unknown(k)) positional.push(k);
      }
      if (positional[0] !== undefined) {
        const url = words[positional[0]];
        const branch = option(words, ['-b', '--branch']);
        const destAt = positional[1] ?? -1;
        const dest = unknown(destAt) ? undefined : abs(destAt >= 0 ? words[destAt] : posix.basename(url.replace(/\/+$/, '')).replace(/\.git$/, ''));
        const clone: ModelFetch = { ...base, kind: 'git', source: url, revision: branch.value, dest, unresolved: unresolved(positional[0], branch.at) };
        out.push(clone);
        if (dest) clones.set(dest, clone);
      }
    } else if (gitAt > 0 && (words.includes('checkout') || words.includes('reset'))) {
      // `git -C DIR checkout REV` / `cd DIR && git checkout REV` pins the clone made just before.
      const dirAt = words.indexOf('-C');
      const dir = dirAt > 0 ? (unknown(dirAt + 1) ? undefined : abs(words[dirAt + 1])) : cwd;
      const from = words.indexOf(words.includes('checkout') ? 'checkout' : 'reset') + 1;
      const revAt = words.findIndex((x, k) => k >= from && !x.startsWith('-'));
      const clone = dir === undefined ? undefined : clones.get(dir);
      if (clone && revAt >= 0) {
        clone.revision = words[revAt];
        clone.unresolved ??= unresolved(revAt);
      }
    } else if ((words[0] === 'huggingface-cli' || words[0] === 'hf') && words[1] === 'download' && words[2]) {
      const files = words.slice(3).filter((x, k, a) => !x.startsWith('-') && !(a[k - 1] ?? '').startsWith('--'));
      const local = option(words, ['--local-dir']);
      const revision = option(words, ['--revision']);
      const type = option(words, ['--repo-type']);
      out.push({ ...base, kind: 'huggingface', source: hfUrl(words[2], type.value), revision: revision.value, dest: local.value && !unknown(local.at) ? abs(local.value) : undefined, files: files.length ? files : undefined, unresolved: unresolved(2, revision.at, type.at) });
    } else if (words[0] === 'wget' || words[0] === 'curl') {
      const o = option(words, words[0] === 'wget' ? ['-O', '--output-document'] : ['-o', '--output']);
      const dest = o.value && !unknown(o.at) ? abs(o.value) : undefined;
      words.forEach((url, k) => {
        if (unknown(k) && k !== o.at && !url.startsWith('-')) out.push({ ...base, kind: 'url', source: url, dest, unresolved: url });
        else if (/^https?:\/\//.test(url) && (MODEL_FILE.test(url) || /\/resolve\//.test(url))) out.push({ ...base, kind: 'url', source: url, dest });
      });
    }
  }
  // Inline Python: snapshot_download / hf_hub_download calls (arguments bounded: an unclosed call costs no rescan).
  for (const m of script.matchAll(/(snapshot_download|hf_hub_download)\s*\(([^)]{0,2048})\)/g)) {
    const argsText = m[2];
    const repo = /repo_id\s*=\s*["']([^"']+)["']/.exec(argsText)?.[1] ?? /^\s*["']([^"']+)["']/.exec(argsText)?.[1];
    if (!repo) continue;
    const rev = /revision\s*=\s*["']([^"']+)["']/.exec(argsText)?.[1];
    const type = /repo_type\s*=\s*["']([^"']+)["']/.exec(argsText)?.[1];
    const file = /filename\s*=\s*["']([^"']+)["']/.exec(argsText)?.[1];
    const local = /local_dir\s*=\s*["']([^"']+)["']/.exec(argsText)?.[1];
    out.push({ ...base, kind: 'huggingface', source: hfUrl(repo, type), revision: rev, dest: local ? abs(local) : undefined, files: file ? [file] : undefined });
  }
  return out;
}

/** Lists the model fetches of a parsed Dockerfile, with ARG/ENV substituted (build args applied). */
export function findModelFetches(df: Dockerfile, opts: AnalyzeOptions = {}): ModelFetch[] {
  const buildArgs = opts.buildArgs ?? {};
  const globals: DockerfileVars = new Map();
  let vars: DockerfileVars = new Map();
  let workdir = '/';
  const out: ModelFetch[] = [];
  for (const ins of df.instructions) {
    if (opts.targetStage !== undefined && ins.stage > opts.targetStage) break;
    if (ins.cmd === 'FROM') {
      vars = new Map();
      workdir = '/';
      continue;
    }
    const scope = ins.stage < 0 ? globals : vars;
    if (ins.cmd === 'ARG') {
      // An ARG without a value (and no --build-arg) is declared but unset: RUN's shell sees it unset.
      for (const [k, v] of parseAssignments(ins.args, false)) scope.set(k, buildArgs[k] ?? (v !== undefined ? substitute(v, scope) : (globals.get(k) ?? null)));
      continue;
    }
    if (ins.cmd === 'ENV') {
      for (const [k, v] of parseAssignments(ins.args, true)) if (v !== undefined) vars.set(k, substitute(v, vars));
      continue;
    }
    if (ins.cmd === 'WORKDIR') {
      workdir = posix.resolve(workdir, substitute(ins.args, vars));
      continue;
    }
    if (ins.cmd === 'RUN') {
      // RUN is not substituted by the Dockerfile: its shell expands the variables (ARG and ENV are its environment).
      out.push(...runFetches(ins, vars, workdir));
      continue;
    }
    const args = substitute(ins.args, vars);
    if (ins.cmd === 'ADD' || ins.cmd === 'COPY') {
      const parts = ins.json ?? args.split(/\s+/).filter(Boolean);
      if (parts.length < 2) continue;
      const dest = posix.resolve(workdir, parts[parts.length - 1]);
      for (const src of parts.slice(0, -1)) {
        const base = { line: ins.line, instruction: ins.text, stage: ins.stage, dest };
        if (ins.cmd === 'ADD' && /^(https?|git|ssh):\/\/|^git@/.test(src)) {
          const [url, ref] = src.split('#');
          if (isGitUrl(src) || ref !== undefined || ins.flags['keep-git-dir']) out.push({ ...base, kind: 'git', source: url, revision: ref });
          else out.push({ ...base, kind: 'url', source: src });
        } else if (!ins.flags.from && opts.isModelPath?.(src)) {
          out.push({ ...base, kind: 'copy', source: src });
        }
      }
    }
  }
  return out;
}
