// Turns build's own flags into the workflow's context: store, signer, trusted model signers, policy.
import { loadPrivateKey, loadPublicKey } from '../../attest/keys.js';
import { KeySigner, type Signer } from '../../attest/signer.js';
import { fail } from '../../core/index.js';
import type { BuildArgs } from '../../docker/build-flags.js';
import type { BuildContext } from '../../pipeline/build.js';
import { openModelStore } from '../../pipeline/model-store.js';
import type { Output } from '../output.js';
import { KEY_PASSWORD_ENV } from './keys.js';
import { withPolicySigners } from './trust-flags.js';

/** A word as a POSIX shell reads it back verbatim. */
function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Builds the BuildContext from `mlbuild build`'s own flags; USAGE errors for contradictory or missing ones. */
export async function prepareBuild(parsed: BuildArgs, out: Output): Promise<BuildContext> {
  const own = parsed.own;
  const keyFile = own.key as string | undefined;
  if (keyFile && own.keyless) fail('USAGE', 'build: give --key or --keyless, not both');
  let signer: Signer | undefined;
  const keys: string[] = [];
  if (keyFile) {
    const s = new KeySigner(await loadPrivateKey(keyFile, process.env[KEY_PASSWORD_ENV] || undefined));
    keys.push(s.publicKeyPem);
    signer = s;
  } else if (own.keyless) {
    const { KeylessSigner } = await import('../../attest/keyless-signer.js');
    signer = new KeylessSigner({ fulcioURL: process.env.SIGSTORE_FULCIO_URL, rekorURL: process.env.SIGSTORE_REKOR_URL });
  }
  if (own.push && !signer) fail('USAGE', 'build: --push needs --key or --keyless (a pushed image carries a signed SBOM)');
  for (const k of (own['trust-key'] as string[] | undefined) ?? []) keys.push((await loadPublicKey(k)).pem);
  const policy = own.policy ? await (await import('../../policy/load.js')).loadPolicy(own.policy as string) : undefined;
  const { keys: trusted, keyless } = withPolicySigners(keys, policy);
  if (trusted.length === 0 && keyless.length === 0 && !own['allow-unattested']) {
    fail('USAGE', 'build: no trusted signers for model attestations: give --key, --trust-key PUB or a --policy with signers');
  }
  const store = await openModelStore(own.store as string | undefined);
  return {
    store,
    signer,
    trust: { keys: trusted, keyless, trustedRoot: policy?.trustedRoot },
    policy,
    allowUnattested: own['allow-unattested'] === true,
    push: own.push === true,
    sbomOut: own['sbom-out'] as string | undefined,
    files: 'all',
    attestFlags: [keyFile ? `--key ${shellQuote(keyFile)}` : own.keyless ? '--keyless' : '--key KEY', ...(own.store ? [`--store ${shellQuote(own.store as string)}`] : [])].join(' '),
    registry: { insecure: (own['insecure-registry'] as string[] | undefined) ?? [], events: out.event },
    dockerOutput: out.json ? 'stderr' : 'inherit',
    events: out.event,
  };
}

