// Loading a policy file: YAML with positions, strict validation (unknown keys, types, CEL syntax), key files read.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { parsePublicKey } from '../attest/keys.js';
import { describeError, fail, isMlbuildError } from '../core/errors.js';
import { compileRule, type CompiledRule } from './cel.js';
import { defaultFilesPolicy, readFilesPolicy } from './files.js';
import { KNOWN_FORMATS } from './formats.js';
import type { Policy, PolicySigner } from './types.js';
import { YamlChecker } from './yaml-check.js';

const TOP_KEYS = ['version', 'signers', 'trustedRoot', 'models', 'rules', 'files'] as const;
const MODEL_KEYS = ['requireAttestation', 'licenses', 'forbidFormats', 'allowUnattested'] as const;

/** Reads and validates a policy file; NOT_FOUND when missing, BAD_POLICY (file:line:col, key) when invalid. */
export async function loadPolicy(file: string): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    fail('NOT_FOUND', `policy file ${file}: ${describeError(e)}`, { cause: e });
  }
  return parsePolicy(text, file, { readFile: (p) => readFile(p, 'utf8') });
}

/** Validates policy text; key and trusted-root paths are relative to the policy file's folder. */
export async function parsePolicy(text: string, file: string, io: { readFile(path: string): Promise<string> }): Promise<Policy> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const c = new YamlChecker(file, lines);
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = e.linePos?.[0] ?? (e.pos?.[0] !== undefined ? lines.linePos(e.pos[0]) : undefined);
    fail('BAD_POLICY', `${file}${pos ? `:${pos.line}:${pos.col}` : ''}: invalid YAML: ${e.message.split('\n')[0]}`);
  }
  const policy: Policy = { file, signers: [], models: { requireAttestation: true, forbidFormats: [] }, rules: [], files: defaultFilesPolicy() };
  const root = doc.contents as Node | null;
  if (root === null) return policy;
  const top = c.map(root, '', TOP_KEYS);
  const base = dirname(resolve(file));
  const v = top.get('version');
  if (v && !(isScalar(v.value) && v.value.value === 1)) c.fail(v.value, 'version', 'must be 1');
  const signers = top.get('signers');
  if (signers) for (const [i, item] of c.seq(signers.value, 'signers').entries()) policy.signers.push(await signer(c, item, `signers[${i}]`, base, io));
  const tr = top.get('trustedRoot');
  if (tr) policy.trustedRoot = await jsonFile(c, tr.value, 'trustedRoot', base, io);
  const models = top.get('models');
  if (models) readModels(c, models.value, policy);
  const files = top.get('files');
  if (files) policy.files = readFilesPolicy(c, files.value);
  const rules = top.get('rules');
  if (rules) policy.rules = c.seq(rules.value, 'rules').map((item, i) => rule(c, item, `rules[${i}]`));
  const names = new Set<string>();
  for (const [i, r] of policy.rules.entries()) {
    if (names.has(r.name)) fail('BAD_POLICY', `${file}: rules[${i}].name: duplicate rule name ${r.name}`);
    names.add(r.name);
  }
  return policy;
}

async function signer(c: YamlChecker, node: Node | null, key: string, base: string, io: { readFile(p: string): Promise<string> }): Promise<PolicySigner> {
  const m = c.map(node, key, ['key', 'keyless']);
  if (m.size !== 1) c.fail(node, key, 'must have exactly one of key or keyless');
  const k = m.get('key');
  if (k) {
    const path = resolve(base, c.str(k.value, `${key}.key`));
    let pem: string;
    try {
      pem = await io.readFile(path);
      parsePublicKey(pem, path);
    } catch (e) {
      c.fail(k.value, `${key}.key`, isMlbuildError(e) ? e.message : `cannot read ${path}: ${describeError(e)}`);
    }
    return { kind: 'key', path, pem };
  }
  const kl = c.map(m.get('keyless')?.value, `${key}.keyless`, ['issuer', 'identity']);
  const issuerNode = kl.get('issuer');
  const idNode = kl.get('identity');
  if (!issuerNode) c.fail(m.get('keyless')?.value, `${key}.keyless`, 'issuer is required');
  if (!idNode) c.fail(m.get('keyless')?.value, `${key}.keyless`, 'identity (a regular expression over the certificate identity) is required');
  const pattern = c.str(idNode.value, `${key}.keyless.identity`);
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch (e) {
    c.fail(idNode.value, `${key}.keyless.identity`, `not a regular expression: ${describeError(e)}`);
  }
  return { kind: 'keyless', identity: { issuer: c.str(issuerNode.value, `${key}.keyless.issuer`), identityRegex: re } };
}

async function jsonFile(c: YamlChecker, node: Node | null, key: string, base: string, io: { readFile(p: string): Promise<string> }): Promise<unknown> {
  const path = resolve(base, c.str(node, key));
  try {
    return JSON.parse(await io.readFile(path));
  } catch (e) {
    c.fail(node, key, `cannot read ${path} as JSON: ${describeError(e)}`);
  }
}

function readModels(c: YamlChecker, node: Node | null, policy: Policy): void {
  const m = c.map(node, 'models', MODEL_KEYS);
  const req = m.get('requireAttestation');
  if (req) policy.models.requireAttestation = c.bool(req.value, 'models.requireAttestation');
  const lic = m.get('licenses');
  if (lic) {
    const l = c.map(lic.value, 'models.licenses', ['allow', 'deny']);
    if (l.size === 0) c.fail(lic.value, 'models.licenses', 'needs allow or deny');
    policy.models.licenses = {};
    const allow = l.get('allow');
    const deny = l.get('deny');
    if (allow) policy.models.licenses.allow = c.strList(allow.value, 'models.licenses.allow');
    if (deny) policy.models.licenses.deny = c.strList(deny.value, 'models.licenses.deny');
  }
  const au = m.get('allowUnattested');
  if (au) {
    policy.models.allowUnattested = c.seq(au.value, 'models.allowUnattested').map((item, i) => {
      const key = `models.allowUnattested[${i}]`;
      const e = c.map(item, key, ['path', 'sha256']);
      const path = e.get('path');
      if (!path) c.fail(item, key, 'path is required');
      const entry: { path: string; sha256?: string } = { path: c.str(path.value, `${key}.path`).replace(/^\/+/, '') };
      const sha = e.get('sha256');
      if (sha) {
        const hex = c.str(sha.value, `${key}.sha256`).replace(/^sha256:/, '').toLowerCase();
        if (!/^[a-f0-9]{64}$/.test(hex)) c.fail(sha.value, `${key}.sha256`, 'must be 64 hex digits');
        entry.sha256 = hex;
      }
      return entry;
    });
  }
  const ff = m.get('forbidFormats');
  if (ff) {
    const items = c.seq(ff.value, 'models.forbidFormats');
    policy.models.forbidFormats = items.map((item, i) => {
      const f = c.str(item, `models.forbidFormats[${i}]`).toLowerCase();
      if (!(KNOWN_FORMATS as readonly string[]).includes(f)) c.fail(item, `models.forbidFormats[${i}]`, `unknown format ${f} (known: ${KNOWN_FORMATS.join(', ')})`);
      return f;
    });
  }
}

function rule(c: YamlChecker, node: Node | null, key: string): CompiledRule {
  const m = c.map(node, key, ['name', 'expr', 'message']);
  const name = m.get('name');
  const expr = m.get('expr');
  if (!name) c.fail(node, key, 'name is required');
  if (!expr) c.fail(node, key, 'expr is required');
  const msg = m.get('message');
  return compileRule(
    { name: c.str(name.value, `${key}.name`), expr: c.str(expr.value, `${key}.expr`), message: msg ? c.str(msg.value, `${key}.message`) : undefined },
    `${c.where(expr.value)}: ${key}.expr`,
  );
}
