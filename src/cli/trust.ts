// The signer and the trust set, each built in one function from the commands' flags (loaded on demand: sigstore and
// CEL stay unloaded until used, so verification's hash workers get the CPU first).
import { readFile } from 'node:fs/promises';
import type { Signer } from '../attest/signer.js';
import type { KeylessIdentity, VerifyOptions } from '../attest/verifier.js';
import { describeError, fail } from '../core/index.js';
import type { Policy } from '../policy/types.js';
import { bool, str, strs, type Parsed } from './command.js';

/** Environment variable holding the private key's password (when set, the key is encrypted). */
export const KEY_PASSWORD_ENV = 'MLBUILD_KEY_PASSWORD';

/** How to sign: an ECDSA private key, or keyless through Fulcio and Rekor. */
export interface SignerFlags {
  key?: string;
  keyless?: boolean;
  fulcioUrl?: string;
  rekorUrl?: string;
  tsaUrl?: string;
}

/** The signer flags of a parsed command line (--key, --keyless, --fulcio-url, --rekor-url, --tsa-url). */
export function signerFlags(args: Parsed): SignerFlags {
  return { key: str(args, 'key'), keyless: bool(args, 'keyless'), fulcioUrl: str(args, 'fulcio-url'), rekorUrl: str(args, 'rekor-url'), tsaUrl: str(args, 'tsa-url') };
}

/** USAGE unless exactly one of --key and --keyless is given (`optional`: neither is fine too). */
export function checkSignerFlags(flags: SignerFlags, command: string, optional = false): void {
  if (flags.key && flags.keyless) fail('USAGE', `${command}: give --key or --keyless, not both`);
  if (!flags.key && !flags.keyless && !optional) fail('USAGE', `${command}: give --key KEY or --keyless`);
}

/** The signer: the key (password from MLBUILD_KEY_PASSWORD), or keyless (token, Fulcio and Rekor from flags or env). */
export async function makeSigner(flags: SignerFlags, command: string, env: NodeJS.ProcessEnv): Promise<Signer> {
  checkSignerFlags(flags, command);
  // Only the signer needed (not attest/index.js, which also loads the verifier and trust-root code).
  if (flags.key) {
    const [{ KeySigner }, { loadPrivateKey }] = await Promise.all([import('../attest/signer.js'), import('../attest/keys.js')]);
    return new KeySigner(await loadPrivateKey(flags.key, env[KEY_PASSWORD_ENV] || undefined));
  }
  const { KeylessSigner } = await import('../attest/keyless-signer.js');
  return new KeylessSigner({ fulcioURL: flags.fulcioUrl ?? env.SIGSTORE_FULCIO_URL, rekorURL: flags.rekorUrl ?? env.SIGSTORE_REKOR_URL, tsaURL: flags.tsaUrl, env });
}

/** The given public keys plus the policy's signers: its keys appended, its keyless identities apart. */
export function withPolicySigners(keys: string[], policy: Policy | undefined): { keys: string[]; keyless: KeylessIdentity[] } {
  const out = { keys: [...keys], keyless: [] as KeylessIdentity[] };
  for (const s of policy?.signers ?? []) {
    if (s.kind === 'key') out.keys.push(s.pem);
    else out.keyless.push(s.identity);
  }
  return out;
}

/** What the trust set is made of: public key PEMs already loaded, key files, a policy, a trusted_root.json file. */
export interface TrustSources {
  pems?: string[];
  keyFiles?: string[];
  policy?: Policy;
  trustedRootFile?: string;
}

/** The trust set: keys (given, from files, from the policy), keyless identities and the trusted root. */
export async function makeTrust(from: TrustSources): Promise<VerifyOptions> {
  const { loadPublicKey } = await import('../attest/keys.js');
  const fileKeys = await Promise.all((from.keyFiles ?? []).map(async (k) => (await loadPublicKey(k)).pem));
  const { keys, keyless } = withPolicySigners([...(from.pems ?? []), ...fileKeys], from.policy);
  let trustedRoot = from.policy?.trustedRoot;
  if (from.trustedRootFile) {
    try {
      trustedRoot = JSON.parse(await readFile(from.trustedRootFile, 'utf8'));
    } catch (e) {
      fail('USAGE', `--trusted-root ${from.trustedRootFile}: ${describeError(e)}`, { cause: e });
    }
  }
  return { keys, keyless, trustedRoot };
}

/** True when the trust set names no signer at all. */
export function noSigners(trust: VerifyOptions): boolean {
  return (trust.keys ?? []).length === 0 && (trust.keyless ?? []).length === 0;
}

/** Trusted signers from --key, --trusted-root and the policy's signers; USAGE when there are none. */
export async function trustFrom(args: Parsed, policy: Policy | undefined, command: string): Promise<VerifyOptions> {
  const trust = await makeTrust({ keyFiles: strs(args, 'key'), policy, trustedRootFile: str(args, 'trusted-root') });
  if (noSigners(trust)) fail('USAGE', `${command}: no trusted signers: give --key PUB or a --policy with signers`);
  return trust;
}

/** The policy named by --policy, if any. */
export async function policyFrom(args: Parsed): Promise<Policy | undefined> {
  const file = str(args, 'policy');
  return file ? (await import('../policy/load.js')).loadPolicy(file) : undefined;
}
