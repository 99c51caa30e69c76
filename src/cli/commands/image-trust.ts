// Trust, signer and policy from the image commands' flags (loaded on demand: it pulls in sigstore and CEL).
import { readFile } from 'node:fs/promises';
import { KeylessSigner, KeySigner, loadPrivateKey, loadPublicKey, type KeylessIdentity, type Signer, type VerifyOptions } from '../../attest/index.js';
import { describeError, fail } from '../../core/index.js';
import { loadPolicy, type Policy } from '../../policy/index.js';
import { bool, str, strs, type Parsed } from '../command.js';
import { KEY_PASSWORD_ENV } from './keys.js';

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

