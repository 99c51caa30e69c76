// Flags shared by the image commands (attest image, verify image, pull): registries, trust, signer, and rendering.
import { readFile } from 'node:fs/promises';
import { KeylessSigner, KeySigner, loadPrivateKey, loadPublicKey, type KeylessIdentity, type Signer, type VerifyOptions } from '../../attest/index.js';
import { describeError, fail } from '../../core/index.js';
import type { ImageVerifyReport } from '../../pipeline/image-verify.js';
import { loadPolicy, type Policy } from '../../policy/index.js';
import type { RegistryClientOptions } from '../../registry/index.js';
import { bool, str, strs, type OptionSpec, type Parsed } from '../command.js';
import type { Output } from '../output.js';
import { KEY_PASSWORD_ENV } from './keys.js';

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

/** Registry client options from the flags: insecure hosts, events to the output. */
export function registryOptions(args: Parsed, out: Output): RegistryClientOptions {
  return { insecure: strs(args, 'insecure-registry'), events: out.event };
}

/** The policy named by --policy, if any. */
export async function policyFrom(args: Parsed): Promise<Policy | undefined> {
  const file = str(args, 'policy');
  return file ? loadPolicy(file) : undefined;
}

/** Trusted keys and identities from --key and the policy's signers; USAGE when there are none. */
export async function trustFrom(args: Parsed, policy: Policy | undefined, command: string): Promise<VerifyOptions> {
  const keys = await Promise.all(strs(args, 'key').map(async (k) => (await loadPublicKey(k)).pem));
  const keyless: KeylessIdentity[] = [];
  for (const s of policy?.signers ?? []) {
    if (s.kind === 'key') keys.push(s.pem);
    else keyless.push(s.identity);
  }
  if (keys.length === 0 && keyless.length === 0) fail('USAGE', `${command}: no trusted signers: give --key PUB or a --policy with signers`);
  let trustedRoot = policy?.trustedRoot;
  const rootFile = str(args, 'trusted-root');
  if (rootFile) {
    try {
      trustedRoot = JSON.parse(await readFile(rootFile, 'utf8'));
    } catch (e) {
      fail('USAGE', `--trusted-root ${rootFile}: ${describeError(e)}`, { cause: e });
    }
  }
  return { keys, keyless, trustedRoot };
}

/** The signer from --key KEY or --keyless (exactly one). */
export async function signerFrom(args: Parsed, command: string): Promise<Signer> {
  const key = str(args, 'key');
  const keyless = bool(args, 'keyless');
  if (key && keyless) fail('USAGE', `${command}: give --key or --keyless, not both`);
  if (key) return new KeySigner(await loadPrivateKey(key, process.env[KEY_PASSWORD_ENV] || undefined));
  if (keyless) return new KeylessSigner({ fulcioURL: str(args, 'fulcio-url') ?? process.env.SIGSTORE_FULCIO_URL, rekorURL: str(args, 'rekor-url') ?? process.env.SIGSTORE_REKOR_URL });
  fail('USAGE', `${command}: give --key KEY or --keyless`);
}

/** Prints a verification report for humans: the verdict, the attestation used, every referrer and finding. */
export function renderVerify(r: ImageVerifyReport, out: Output): void {
  for (const n of r.notes) out.warn(n);
  const at = `${r.repository}@${r.digest}`;
  if (r.ok && r.attestation) {
    const s = r.attestation.signer;
    const who = s.kind === 'key' ? `key ${s.hint.slice(0, 12)}` : `${s.identity} (${s.issuer})`;
    out.result(`OK ${at}: SBOM attestation ${r.attestation.referrer.slice(0, 19)} signed by ${who}, ${r.attestation.components} components`);
  } else {
    out.result(`FAIL ${at}: ${r.findings.filter((f) => f.fatal).length} finding(s)`);
  }
  for (const m of r.models) out.result(`  model ${m.name} (${m.path}): ${m.attested ? `attested (${m.origin})` : 'no model attestation'}`);
  for (const f of r.findings) out.result(`  ${(f.fatal ? f.kind : `${f.kind} (ignored)`).padEnd(30)} ${f.message}`);
}
