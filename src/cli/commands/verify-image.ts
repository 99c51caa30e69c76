// `mlbuild verify image REF`: verification before pull, against the registry: referrers → bundles → signature →
// subject digest → policy; every finding reported, exit 1 when any is fatal.
import { fail } from '../../core/index.js';
import { str, strs, type Command } from '../command.js';
import { wiringFor } from '../wiring.js';
import { renderVerify, VERIFY_OPTIONS } from './image-flags.js';

/** The verify image command. */
export const verifyImageCommand: Command = {
  name: 'verify image',
  summary: 'Check an image in its registry before pulling it: signed SBOM referrer, subject digest, and policy.',
  usage: 'verify image REF [--key PUB…] [--policy FILE] [--platform P] [--insecure-registry HOST…] [--json]',
  options: VERIFY_OPTIONS,
  details: `REF is resolved to a digest once; every sigstore bundle referrer of that digest is checked offline against
the trusted keys (--key, policy signers) and keyless identities. Bundles that do not verify are ignored and
reported; a statement about another digest is refused. Without --policy only the signature and the subject are
checked; with one, its model, license, format and CEL rules run over every trusted SBOM bound to the digest (the
findings are their union; no unsigned annotation picks one).
Exit 0 verified; 1 no trusted attestation or a policy finding (a bad or tampered referrer is a finding, fatal when
nothing trusted is left); 2 bad input (bad flag, REF, key or policy file); 3 registry unreachable.`,
  async run(args, out, cli) {
    const [{ verifyImage }, { policyFrom, trustFrom }] = await Promise.all([import('../../pipeline/image-verify.js'), import('../trust.js')]);
    const wiring = wiringFor(cli, out.event, { insecure: strs(args, 'insecure-registry') });
    const ref = args.positionals[0];
    if (!ref || args.positionals.length > 1) fail('USAGE', 'verify image: expected exactly one REF');
    const policy = await policyFrom(args);
    const trust = await trustFrom(args, policy, 'verify image');
    const report = await verifyImage(ref, {
      trust,
      policy,
      platform: str(args, 'platform'),
      store: await wiring.openStore(str(args, 'store')),
      registry: wiring.registry,
      signal: wiring.signal,
      events: out.event,
    });
    out.done();
    if (out.json) out.resultJson(report);
    else renderVerify(report, out);
    return report.ok ? 0 : 1;
  },
};
