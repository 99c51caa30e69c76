// Policy evaluation: attestation required, licenses, forbidden formats and CEL rules, over models (and later an
// image and its SBOM); every violation is a finding, none is thrown.
import type { Finding } from './finding.js';
import { defaultFilesPolicy } from './files.js';
import { checkLicense } from './licenses.js';
import type { Policy, PolicyInput, PolicyModel } from './types.js';

/** The policy used when none is given: an attestation is required, nothing else is checked. */
export function defaultPolicy(): Policy {
  return { file: '(default policy)', signers: [], models: { requireAttestation: true, forbidFormats: [] }, rules: [], files: defaultFilesPolicy() };
}

/** Evaluates `policy` over `input`; an empty list means the input complies. */
export function evaluatePolicy(policy: Policy, input: PolicyInput): Finding[] {
  const findings: Finding[] = [];
  for (const model of input.models) findings.push(...modelFindings(policy, model));
  const targets: (PolicyModel | null)[] = input.models.length > 0 ? input.models : [null];
  for (const rule of policy.rules) {
    for (const model of targets) {
      const r = rule.run({ model, image: input.image ?? null, sbom: input.sbom ?? null });
      const m = model ? { model: model.name } : {};
      if (!r.ok) findings.push({ kind: 'rule-error', rule: rule.name, ...m, message: `rule ${rule.name} could not be evaluated: ${r.error}` });
      else if (!r.value) findings.push({ kind: 'rule-failed', rule: rule.name, ...m, message: `${rule.message} (rule ${rule.name})` });
    }
  }
  return findings;
}

function modelFindings(policy: Policy, model: PolicyModel): Finding[] {
  const out: Finding[] = [];
  const m = { model: model.name };
  if (!model.attested) {
    if (policy.models.requireAttestation) out.push({ kind: 'unsigned', ...m, message: `no valid signed attestation for model ${model.name}` });
    return out; // nothing below can be trusted without one
  }
  if (policy.models.licenses) {
    const v = checkLicense(model.license, policy.models.licenses);
    if (!v.ok && v.reason === 'unknown') out.push({ kind: 'license-unknown', ...m, message: `model ${model.name} has no license in its attestation and the policy allows only ${policy.models.licenses.allow?.join(', ')}` });
    if (!v.ok && v.reason === 'denied') out.push({ kind: 'license-denied', ...m, got: model.license ?? undefined, message: `license ${model.license} of model ${model.name} is not allowed by the policy` });
  }
  const forbidden = new Set(policy.models.forbidFormats);
  for (const f of model.files) {
    if (f.format && forbidden.has(f.format)) out.push({ kind: 'format-forbidden', ...m, path: f.path, got: f.format, message: `${f.path}: ${f.format} files are forbidden by the policy` });
  }
  return out;
}
