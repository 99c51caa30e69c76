// Trusted signers from the flags (--key, --trusted-root) and a policy's signers. Loads only the key parser: the
// sigstore verifier and CEL stay unloaded until used, so verification's hash workers get the CPU first.
import { readFile } from 'node:fs/promises';
import { loadPublicKey } from '../../attest/keys.js';
import type { KeylessIdentity, VerifyOptions } from '../../attest/verifier.js';
import { describeError, fail } from '../../core/index.js';
import type { Policy } from '../../policy/types.js';
import { str, strs, type Parsed } from '../command.js';

/** The given public keys plus the policy's signers: its keys appended, its keyless identities apart. */
export function withPolicySigners(keys: string[], policy: Policy | undefined): { keys: string[]; keyless: KeylessIdentity[] } {
  const out = { keys: [...keys], keyless: [] as KeylessIdentity[] };
  for (const s of policy?.signers ?? []) {
    if (s.kind === 'key') out.keys.push(s.pem);
    else out.keyless.push(s.identity);
  }
  return out;
}

/** Trusted keys and identities from --key, --trusted-root and the policy's signers; USAGE when there are none. */
export async function trustFrom(args: Parsed, policy: Policy | undefined, command: string): Promise<VerifyOptions> {
  const flagKeys = await Promise.all(strs(args, 'key').map(async (k) => (await loadPublicKey(k)).pem));
  const { keys, keyless } = withPolicySigners(flagKeys, policy);
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
