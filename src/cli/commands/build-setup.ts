// Turns build's own flags into the workflow's context: store, signer, trusted model signers, policy.
import { fail } from '../../core/index.js';
import type { BuildArgs } from '../../docker/build-flags.js';
import type { BuildContext } from '../../pipeline/build.js';
import type { Output } from '../output.js';
import { checkSignerFlags, noSigners, type SignerFlags } from '../trust.js';
import type { Wiring } from '../wiring.js';

/** A word as a POSIX shell reads it back verbatim. */
function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Builds the BuildContext from `mlbuild build`'s own flags and the wiring; USAGE errors for contradictory or missing ones. */
export async function prepareBuild(parsed: BuildArgs, out: Output, wiring: Wiring): Promise<BuildContext> {
  const own = parsed.own;
  const keyFile = own.key as string | undefined;
  const flags: SignerFlags = { key: keyFile, keyless: own.keyless === true };
  checkSignerFlags(flags, 'build', true);
  const signer = flags.key || flags.keyless ? await wiring.signer(flags, 'build') : undefined;
  if (own.push && !signer) fail('USAGE', 'build: --push needs --key or --keyless (a pushed image carries a signed SBOM)');
  const policy = own.policy ? await (await import('../../policy/load.js')).loadPolicy(own.policy as string) : undefined;
  const pems = signer && 'publicKeyPem' in signer ? [signer.publicKeyPem as string] : [];
  const trust = await wiring.trust({ pems, keyFiles: (own['trust-key'] as string[] | undefined) ?? [], policy });
  if (noSigners(trust) && !own['allow-unattested']) {
    fail('USAGE', 'build: no trusted signers for model attestations: give --key, --trust-key PUB or a --policy with signers');
  }
  const store = await wiring.openStore(own.store as string | undefined);
  return {
    store,
    signer,
    trust,
    policy,
    allowUnattested: own['allow-unattested'] === true,
    push: own.push === true,
    sbomOut: own['sbom-out'] as string | undefined,
    files: 'all',
    attestFlags: [keyFile ? `--key ${shellQuote(keyFile)}` : own.keyless ? '--keyless' : '--key KEY', ...(own.store ? [`--store ${shellQuote(own.store as string)}`] : [])].join(' '),
    registry: wiring.registry,
    cacheDir: wiring.cacheDir,
    engine: wiring.engine,
    docker: wiring.docker,
    sbomTime: wiring.sbomTime,
    signal: wiring.signal,
    dockerOutput: out.json ? 'stderr' : 'inherit',
    events: out.event,
  };
}
