// `mlbuild pull REF`: verify image, then pull exactly the verified digest (never the tag) and tag it locally as REF.
import { fail } from '../../core/index.js';
import { str, strs, type Command } from '../command.js';
import { wiringFor } from '../wiring.js';
import { renderVerify, VERIFY_OPTIONS } from './image-flags.js';

/** The pull command. */
export const pullCommand: Command = {
  name: 'pull',
  summary: 'Verify an image (like verify image), then pull it by the verified digest and tag it locally.',
  usage: 'pull REF [--key PUB…] [--policy FILE] [--platform P] [--insecure-registry HOST…] [--json]',
  options: VERIFY_OPTIONS,
  details: `Nothing is pulled or tagged when the verification fails (exit 1). The pull goes through the Docker Engine
API as REPO@DIGEST with the credentials of the docker config ($DOCKER_CONFIG), and the pulled image ID is checked
against the verified manifest's config digest. Prints the digest on success.
Exit 0 verified and pulled; 1 verification failed (as verify image: a bad or tampered referrer is a finding);
2 bad input (bad flag, REF, key or policy file); 3 registry or engine unreachable.`,
  async run(args, out, cli) {
    const [{ pullVerified }, { policyFrom, trustFrom }] = await Promise.all([import('../../pipeline/pull.js'), import('../trust.js')]);
    const wiring = wiringFor(cli, out.event, { insecure: strs(args, 'insecure-registry') });
    const ref = args.positionals[0];
    if (!ref || args.positionals.length > 1) fail('USAGE', 'pull: expected exactly one REF');
    const policy = await policyFrom(args);
    const trust = await trustFrom(args, policy, 'pull');
    const report = await pullVerified(ref, {
      trust,
      policy,
      platform: str(args, 'platform'),
      store: await wiring.openStore(str(args, 'store')),
      registry: wiring.registry,
      engine: wiring.engine,
      signal: wiring.signal,
      events: out.event,
    });
    out.done();
    if (out.json) out.resultJson(report);
    else {
      renderVerify(report, out);
      if (report.pulled) out.result(report.digest);
    }
    return report.ok ? 0 : 1;
  },
};
