// `mlbuild build [docker build flags…] CONTEXT`: docker build, gated on attested models, then signed SBOM + referrer.
import { fail } from '../../core/index.js';
import type { BuildReport } from '../../pipeline/build.js';
import type { Command } from '../command.js';
import type { Output } from '../output.js';
import { findingText } from '../finding-text.js';

const HELP = `Usage: mlbuild build [docker build flags…] [mlbuild flags…] CONTEXT

A drop-in docker build: every docker build flag is passed to docker unchanged (-t, -f, --build-arg, --target,
--label, --network, --no-cache, --pull, --platform, --secret, --ssh, --progress, -q, --iidfile, --cache-from, …)
and docker's own output is shown. mlbuild then:
  1. before the build, finds the model fetches of the Dockerfile (git clone, hf/huggingface-cli download,
     snapshot_download, wget/curl of model files, ADD <url|git>, COPY of model folders) and stops unless each
     has an attestation in the store (naming the step and the mlbuild attest model command to run);
  2. builds untagged, reads the image, and checks every model found in it against its signed attestation
     (changed, missing and extra files) and the policy;
  3. only then signs and stores the model-aware SBOM, applies the -t tags, and with --push pushes every tag and
     attaches the signed SBOM as an OCI referrer.
Fetches only the run can tell ($(…), variables set at run time) are not refused before the build: a warning names
them and the post-build check judges what landed. Bad inputs (a missing context, an invalid -t, --push without -t,
an unwritable --sbom-out) exit 2 before anything is built.

mlbuild flags:
  --key KEY               sign with this ECDSA P-256 private key (MLBUILD_KEY_PASSWORD if encrypted)
  --keyless               sign keyless (Fulcio + Rekor, OIDC token from SIGSTORE_ID_TOKEN)
  --trust-key PUB         also trust model attestations signed by this public key (repeatable)
  --policy FILE           policy YAML (signers, licenses, forbidden formats, CEL rules)
  --store S               attestation store: folder or oci://REGISTRY/REPO (default $MLBUILD_STORE, ~/.mlbuild/attestations)
  --push                  push every tag and attach the signed SBOM as a referrer (needs --key or --keyless)
  --sbom-out FILE         write the CycloneDX SBOM to FILE
  --allow-unattested      report unattested models instead of failing (changed attested models still fail)
  --insecure-registry H   plain HTTP to registry H (loopback always is)
  --json                  the build report as JSON on stdout (docker's own output stays on the terminal)
  -v, --verbose           more detail (and causes of errors)
  -q, --quiet             docker's -q (stdout is the image ID); mlbuild prints only errors
  --docker BIN            the docker CLI to run (default $MLBUILD_DOCKER, /usr/bin/docker, docker)
  -H, --host HOST         the engine to use, as docker's --host (default $DOCKER_HOST); Podman's Docker API works

Exit codes: docker's own code when the build fails; 1 when a model is unattested or fails its check (no tag is
applied, nothing is pushed); 2 usage or input errors; 3 environment errors (no engine, registry unreachable).
`;

function render(r: BuildReport, out: Output): void {
  if (r.skipped) out.warn(`Dockerfile analysis skipped: ${r.skipped}`);
  for (const f of r.fetches) out.info(`model fetch (line ${f.line}): ${f.source}${f.revision ? `@${f.revision}` : ''}${f.dest ? ` → ${f.dest}` : ''}: ${f.attested ? 'attested' : f.untrusted ? 'attested by an untrusted key (treated as not attested)' : 'checked after the build'}`);
  for (const m of r.models) out.info(`model ${m.name} (${m.path}): ${m.attested ? `attested (${m.attestation ?? 'store'})` : 'not attested'}`);
  for (const w of r.warnings) out.warn(findingText(w));
  for (const f of r.findings) out.error(`${f.kind}: ${findingText(f)}`);
  if (r.status === 'unattested') out.error('build not started: every model a step fetches needs an attestation (see above)');
  if (r.status === 'check-failed') out.error(`image ${r.imageId?.slice(7, 19)} failed the model check: not tagged, not pushed`);
  if (r.status === 'ok' && r.published) {
    const p = r.published;
    out.info(`image ${r.imageId}${p.tags.length ? ` tagged ${p.tags.join(', ')}` : ''}`);
    if (p.local) out.info(`signed SBOM ${p.local.bundleDigest} stored`);
    for (const x of p.pushed) out.info(`pushed ${x.repository}@${x.digest}; signed SBOM referrer ${x.referrer}`);
  }
}

/** The build command (parses its own arguments: docker's flags pass through). */
export const buildCommand: Command = {
  name: 'build',
  summary: 'docker build, gated on attested models; then a signed model-aware SBOM, pushed as a referrer with --push.',
  usage: 'build [docker build flags…] CONTEXT',
  options: [],
  rawArgs: true,
  cancellable: true,
  async run(args, out, cli) {
    if (args.raw.includes('--help') || args.raw.includes('-h')) {
      process.stdout.write(HELP);
      return 0;
    }
    const { parseBuildArgs } = await import('../../docker/build-flags.js');
    const parsed = parseBuildArgs(args.raw, process.env);
    const own = parsed.own;
    out.json = own.json === true;
    out.verbose = own.verbose === true || out.verbose;
    // -q is docker's (stdout is the image ID) and mlbuild's own: no progress, no notes.
    out.quiet = parsed.docker.quiet;
    // -H/--host picks the engine for docker build, docker push and mlbuild's own engine calls alike.
    const { wiringFor } = await import('../wiring.js');
    const wiring = wiringFor(cli, out.event, { host: own.host as string | undefined, docker: own.docker as string | undefined, insecure: (own['insecure-registry'] as string[] | undefined) ?? [] });
    const { prepareBuild } = await import('./build-setup.js');
    const ctx = await prepareBuild(parsed, out, wiring);
    const { runBuild } = await import('../../pipeline/build.js');
    const report = await runBuild(parsed, ctx);
    out.done();
    render(report, out);
    if (out.json) out.resultJson(report);
    switch (report.status) {
      case 'ok':
        return 0;
      case 'build-failed':
        return report.dockerCode ?? 1;
      case 'interrupted':
        return 130;
      case 'unattested':
      case 'check-failed':
        return 1;
      default:
        return fail('USAGE', `unexpected build status ${String(report.status)}`);
    }
  },
};
