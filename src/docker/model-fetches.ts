// Finds the steps of a Dockerfile that fetch models: git clones, hf downloads, model-file downloads, ADD, COPY.
import { posix } from 'node:path';
import { parseAssignments, substitute, type Dockerfile, type Instruction } from './dockerfile.js';
import { shellCommands } from './shell-words.js';

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

function optionValue(words: string[], names: string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    for (const n of names) {
      if (words[i] === n) return words[i + 1];
      if (words[i].startsWith(`${n}=`)) return words[i].slice(n.length + 1);
    }
  }
  return undefined;
}

function runFetches(ins: Instruction, script: string, workdir: string): ModelFetch[] {
  const out: ModelFetch[] = [];
  const base = { line: ins.line, instruction: ins.text, stage: ins.stage };
  let cwd = workdir;
  const abs = (p: string) => posix.resolve(cwd, p);
  for (const w of shellCommands(script)) {
    const words = w[0] === 'sudo' || w[0] === 'env' ? w.slice(1).filter((x) => !/^[A-Z_]+=/.test(x)) : w;
    if (words[0] === 'cd' && words[1]) cwd = abs(words[1]);
    const gitAt = words[0] === 'git' ? (words[1] === 'lfs' ? 2 : 1) : -1;
    if (gitAt > 0 && words[gitAt] === 'clone') {
      const rest = words.slice(gitAt + 1);
      const positional: string[] = [];
      for (let k = 0; k < rest.length; k++) {
        if (GIT_VALUE_FLAGS.has(rest[k])) k++;
        else if (!rest[k].startsWith('-')) positional.push(rest[k]);
      }
      if (positional[0]) {
        const url = positional[0];
        const dest = abs(positional[1] ?? posix.basename(url.replace(/\/+$/, '')).replace(/\.git$/, ''));
        out.push({ ...base, kind: 'git', source: url, revision: optionValue(rest, ['-b', '--branch']), dest });
      }
    } else if (gitAt > 0 && (words.includes('checkout') || words.includes('reset'))) {
      // `git -C DIR checkout REV` / `cd DIR && git checkout REV` pins the clone made just before.
      const dirAt = words.indexOf('-C');
      const dir = dirAt > 0 ? abs(words[dirAt + 1]) : cwd;
      const rev = words.slice(words.indexOf(words.includes('checkout') ? 'checkout' : 'reset') + 1).find((x) => !x.startsWith('-'));
      const clone = [...out].reverse().find((f) => f.kind === 'git' && f.dest === dir);
      if (clone && rev) clone.revision = rev;
    } else if ((words[0] === 'huggingface-cli' || words[0] === 'hf') && words[1] === 'download' && words[2]) {
      const files = words.slice(3).filter((x, k, a) => !x.startsWith('-') && !(a[k - 1] ?? '').startsWith('--'));
      const local = optionValue(words, ['--local-dir']);
      out.push({ ...base, kind: 'huggingface', source: hfUrl(words[2], optionValue(words, ['--repo-type'])), revision: optionValue(words, ['--revision']), dest: local ? abs(local) : undefined, files: files.length ? files : undefined });
    } else if ((words[0] === 'wget' || words[0] === 'curl') && words.some((x) => /^https?:\/\//.test(x))) {
      for (const url of words.filter((x) => /^https?:\/\//.test(x))) {
        if (!MODEL_FILE.test(url) && !/\/resolve\//.test(url)) continue;
        const o = optionValue(words, words[0] === 'wget' ? ['-O', '--output-document'] : ['-o', '--output']);
        out.push({ ...base, kind: 'url', source: url, dest: o ? abs(o) : undefined });
      }
    }
  }
  // Inline Python: snapshot_download / hf_hub_download calls.
  for (const m of script.matchAll(/(snapshot_download|hf_hub_download)\s*\(([^)]*)\)/g)) {
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
  const globals = new Map<string, string>();
  let vars = new Map<string, string>();
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
      for (const [k, v] of parseAssignments(ins.args, false)) {
        const value = buildArgs[k] ?? (v !== undefined ? substitute(v, scope) : globals.get(k));
        if (value !== undefined) scope.set(k, value);
      }
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
    const args = substitute(ins.args, vars);
    if (ins.cmd === 'RUN') {
      const script = [ins.json ? ins.json.join(' ') : args, ...ins.heredocs.map((h) => substitute(h, vars))].join('\n');
      out.push(...runFetches(ins, script, workdir));
    } else if (ins.cmd === 'ADD' || ins.cmd === 'COPY') {
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
