// `mlbuild verify model SOURCE`: check a model folder against its signed attestation and a policy; all findings at once.
import { fail } from '../../core/index.js';
import type { ModelVerifyReport } from '../../pipeline/model-verify.js';
import { str, type Command } from '../command.js';
import { wiringFor } from '../wiring.js';
import type { Output } from '../output.js';

/** The verify model command. */
export const verifyModelCommand: Command = {
  name: 'verify model',
  summary: 'Check a model folder against its signed attestation (changed, missing, extra files) and a policy.',
  usage: 'verify model SOURCE [--key PUB…] [--policy FILE] [--attestation FILE] [--store S] [--hub-url URL] [--json]',
  options: [
    { name: 'key', type: 'string', multiple: true, value: 'PUB', help: 'trusted public key PEM (adds to the policy signers)' },
    { name: 'policy', type: 'string', value: 'FILE', help: 'policy YAML (signers, licenses, formats, CEL rules)' },
    { name: 'attestation', type: 'string', value: 'FILE', help: 'bundle file to check against instead of a store lookup' },
    { name: 'store', type: 'string', value: 'S', help: 'store folder or oci://REGISTRY/REPO (default $MLBUILD_STORE, ~/.mlbuild/attestations)' },
    { name: 'trusted-root', type: 'string', value: 'FILE', help: 'sigstore trusted_root.json for keyless bundles (or trustedRoot: in the policy)' },
    { name: 'hub-url', type: 'string', value: 'URL', help: 'cross-check the license with this Hugging Face API (e.g. https://huggingface.co)' },
  ],
  details: `SOURCE is git:URL[@REV], git:PATH, dir:PATH or file:PATH. The signature is checked offline.
Exit 0 when everything matches; 1 on any finding (a bad or tampered bundle in the store is one, and so is an
intact --attestation file from an untrusted signer); 2 on bad input (bad flag, policy, key file or source, or an
--attestation file that is malformed or altered after signing).`,
  async run(args, out, cli) {
    const source = args.positionals[0];
    if (!source || args.positionals.length > 1) fail('USAGE', 'verify model: expected exactly one SOURCE');
    // The hash workers start first, so that their start-up overlaps the module loading below.
    (await import('../../model/hash-pool.js')).warmHashWorkers();
    // Heavy modules (sigstore, CEL) load on demand, so the CLI starts fast and --help stays instant.
    const [{ verifyModel }, { policyFrom, trustFrom }] = await Promise.all([import('../../pipeline/model-verify.js'), import('../trust.js')]);
    const wiring = wiringFor(cli, out.event);
    const policy = await policyFrom(args);
    const trust = await trustFrom(args, policy, 'verify model');
    const attestationFile = str(args, 'attestation');
    const report = await verifyModel(source, {
      trust,
      policy,
      attestationFile,
      store: attestationFile ? undefined : await wiring.openExistingStore(str(args, 'store')),
      hubUrl: str(args, 'hub-url'),
      events: out.event,
    });
    out.done();
    render(report, out);
    return report.ok ? 0 : 1;
  },
};


function render(r: ModelVerifyReport, out: Output): void {
  if (out.json) {
    out.resultJson(r);
    return;
  }
  for (const n of r.notes) out.warn(n);
  const at = r.commit ? ` @ ${r.commit.slice(0, 12)}` : '';
  if (r.ok) {
    const s = r.attestation?.signer;
    const who = s ? (s.kind === 'key' ? `key ${s.hint.slice(0, 12)}` : `${s.identity} (${s.issuer})`) : 'nobody';
    out.result(`OK ${r.model}${at}: ${r.files} files match the attestation signed by ${who}${r.attestation?.license ? `, license ${r.attestation.license}` : ''}`);
    return;
  }
  out.result(`FAIL ${r.model}${at}: ${r.findings.length} finding(s)`);
  for (const f of r.findings) out.result(`  ${f.kind.padEnd(20)} ${f.message}`);
}
