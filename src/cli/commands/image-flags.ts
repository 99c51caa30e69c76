// Flags shared by the image commands (attest image, verify image, pull): registries, trust, signer, and rendering.
import type { ImageVerifyReport } from '../../pipeline/image-verify.js';
import type { OptionSpec } from '../command.js';
import type { Output } from '../output.js';
import { findingText } from '../finding-text.js';

/** Registry and platform flags. */
export const REGISTRY_OPTIONS: OptionSpec[] = [
  { name: 'platform', type: 'string', value: 'OS/ARCH', help: 'platform to pick from a multi-platform index' },
  { name: 'insecure-registry', type: 'string', multiple: true, value: 'HOST', help: 'speak plain HTTP to HOST[:PORT] (loopback always is)' },
];

/** The flags of verification (verify image and pull). */
export const VERIFY_OPTIONS: OptionSpec[] = [
  { name: 'key', type: 'string', multiple: true, value: 'PUB', help: 'trusted public key PEM (adds to the policy signers)' },
  { name: 'policy', type: 'string', value: 'FILE', help: 'policy YAML (signers, model attestations, licenses, formats, CEL rules)' },
  { name: 'trusted-root', type: 'string', value: 'FILE', help: 'sigstore trusted_root.json for keyless bundles (or trustedRoot: in the policy)' },
  { name: 'store', type: 'string', value: 'S', help: 'where model attestations are looked up besides the referrers (folder or oci://REGISTRY/REPO)' },
  ...REGISTRY_OPTIONS,
];

/** Prints a verification report for humans: the verdict, the attestations judged, every model and finding. */
export function renderVerify(r: ImageVerifyReport, out: Output): void {
  for (const n of r.notes) out.warn(n);
  const at = `${r.repository}@${r.digest}`;
  if (r.ok && r.attestations.length > 0) {
    out.result(`OK ${at}: ${r.attestations.length} trusted SBOM attestation(s), all judged`);
    for (const a of r.attestations) {
      const who = a.signer.kind === 'key' ? `key ${a.signer.hint.slice(0, 12)}` : `${a.signer.identity} (${a.signer.issuer})`;
      out.result(`  sbom ${a.referrer.slice(0, 19)} signed by ${who}, ${a.components} components`);
    }
  } else {
    out.result(`FAIL ${at}: ${r.findings.filter((f) => f.fatal).length} finding(s)`);
  }
  for (const m of r.models) out.result(`  model ${m.name} (${m.path}): ${m.attested ? `attested (${m.origin})` : 'no model attestation'}`);
  for (const f of r.findings) out.result(`  ${(f.fatal ? f.kind : `${f.kind} (ignored)`).padEnd(30)} ${findingText(f)}`);
}
