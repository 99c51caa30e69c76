// Trust, signer and policy from the image commands' flags (loaded on demand: it pulls in sigstore and CEL).
import { KeylessSigner, KeySigner, loadPrivateKey, type Signer } from '../../attest/index.js';
import { fail } from '../../core/index.js';
import { loadPolicy, type Policy } from '../../policy/index.js';
import { bool, str, type Parsed } from '../command.js';
import { KEY_PASSWORD_ENV } from './keys.js';

/** The policy named by --policy, if any. */
export async function policyFrom(args: Parsed): Promise<Policy | undefined> {
  const file = str(args, 'policy');
  return file ? loadPolicy(file) : undefined;
}

export { trustFrom } from './trust-flags.js';


/** The signer from --key KEY or --keyless (exactly one). */
export async function signerFrom(args: Parsed, command: string): Promise<Signer> {
  const key = str(args, 'key');
  const keyless = bool(args, 'keyless');
  if (key && keyless) fail('USAGE', `${command}: give --key or --keyless, not both`);
  if (key) return new KeySigner(await loadPrivateKey(key, process.env[KEY_PASSWORD_ENV] || undefined));
  if (keyless) return new KeylessSigner({ fulcioURL: str(args, 'fulcio-url') ?? process.env.SIGSTORE_FULCIO_URL, rekorURL: str(args, 'rekor-url') ?? process.env.SIGSTORE_REKOR_URL });
  fail('USAGE', `${command}: give --key KEY or --keyless`);
}

