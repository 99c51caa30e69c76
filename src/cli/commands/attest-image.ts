// `mlbuild attest image TARGET`: the image's SBOM in a signed in-toto statement, stored, and with --push attached
// to the image manifest as an OCI referrer (this covers what a separate `attach` command would do).
import { fail, writeFileAtomic } from '../../core/index.js';
import { bool, str, strs, type Command } from '../command.js';
import { KEY_PASSWORD_ENV, signerFlags } from '../trust.js';
import { wiringFor } from '../wiring.js';
import { REGISTRY_OPTIONS } from './image-flags.js';

/** The attest image command. */
export const attestImageCommand: Command = {
  name: 'attest image',
  summary: 'Sign the CycloneDX SBOM of an image (subject: its registry manifest digest); --push attaches it as a referrer.',
  usage: 'attest image TARGET (--key KEY | --keyless) [--push] [--store S] [--sbom-out FILE] [--platform P] [--insecure-registry HOST…]',
  options: [
    { name: 'key', type: 'string', value: 'KEY', help: `private key PEM (password from ${KEY_PASSWORD_ENV})` },
    { name: 'keyless', type: 'boolean', help: 'sign with Fulcio + Rekor using an OIDC token (SIGSTORE_ID_TOKEN)' },
    { name: 'push', type: 'boolean', help: 'attach the signed SBOM to the image in its registry (OCI referrer)' },
    { name: 'store', type: 'string', value: 'S', help: 'store folder or oci://REGISTRY/REPO (default $MLBUILD_STORE, ~/.mlbuild/attestations)' },
    { name: 'no-store', type: 'boolean', help: 'do not keep the bundle in the attestation store' },
    { name: 'sbom-out', type: 'string', value: 'FILE', help: 'also write the SBOM to FILE' },
    { name: 'output', short: 'o', type: 'string', value: 'FILE', help: 'also write the bundle to FILE' },
    { name: 'files', type: 'string', value: 'MODE', default: 'all', help: 'SBOM file components: all, models, none' },
    { name: 'no-cache', type: 'boolean', help: 'do not use or fill the per-layer cache' },
    { name: 'fulcio-url', type: 'string', value: 'URL', help: 'Fulcio for --keyless (default $SIGSTORE_FULCIO_URL)' },
    { name: 'rekor-url', type: 'string', value: 'URL', help: 'Rekor for --keyless (default $SIGSTORE_REKOR_URL)' },
    ...REGISTRY_OPTIONS,
  ],
  details: `TARGET is docker:REF, registry:REF, a bare REF (engine first, then registry), docker-archive:FILE or oci-dir:PATH.
A daemon image is bound to the registry manifest of its RepoDigest (or tag) only after checking that the
manifest's config digest is the scanned image ID; an image that was never pushed is attested by image ID in the
local store only, and --push refuses it. The referrer layout is the one cosign v3 and GitHub attestations use.
Exit 0 signed; 2 bad input (bad flag or TARGET, a key file that is unreadable or needs another password);
3 engine or registry unreachable.`,
  async run(args, out, cli) {
    const { attestImage } = await import('../../pipeline/image-attest.js');
    const wiring = wiringFor(cli, out.event, { insecure: strs(args, 'insecure-registry') });
    const target = args.positionals[0];
    if (!target || args.positionals.length > 1) fail('USAGE', 'attest image: expected exactly one TARGET');
    const files = str(args, 'files');
    if (files !== 'all' && files !== 'models' && files !== 'none') fail('USAGE', `attest image: --files must be all, models or none (got ${files})`);
    const signer = await wiring.signer(signerFlags(args), 'attest image');
    const store = bool(args, 'no-store') ? undefined : await wiring.openStore(str(args, 'store'));
    const r = await attestImage(target, {
      signer,
      store,
      push: bool(args, 'push'),
      platform: str(args, 'platform'),
      files,
      cacheDir: bool(args, 'no-cache') ? false : wiring.cacheDir,
      registry: wiring.registry,
      engine: wiring.engine,
      sbomTime: wiring.sbomTime,
      events: out.event,
    });
    out.done();
    const sbomOut = str(args, 'sbom-out');
    if (sbomOut) await writeFileAtomic(sbomOut, r.sbom);
    const output = str(args, 'output');
    if (output) await writeFileAtomic(output, `${JSON.stringify(r.bundle)}\n`);
    const s = r.subject;
    const summary = {
      target,
      imageId: r.imageId,
      subject: s.kind === 'manifest' ? { kind: s.kind, name: s.name, digest: s.descriptor.digest, mediaType: s.descriptor.mediaType, size: s.descriptor.size } : { kind: s.kind, name: s.name, digest: s.digest, reason: s.reason },
      counts: r.counts,
      signer: signer.kind,
      bundleDigest: r.bundleDigest,
      stored: r.entry ? (r.entry.file.startsWith('oci://') ? r.entry.file : `${store?.location}/${r.entry.file}`) : undefined,
      referrer: r.referrer && { repository: r.referrer.repository, digest: r.referrer.referrer.digest, subject: r.referrer.subject.digest, artifactType: r.referrer.referrer.artifactType },
      sbomOut,
      output,
    };
    if (out.json) out.resultJson(summary);
    else {
      out.result(`attested ${target}: ${s.name}@${summary.subject.digest}${s.kind === 'image-id' ? ` (image ID: ${s.reason})` : ''}`);
      out.result(`  sbom     ${r.counts.packages} packages, ${r.counts.models} models, ${r.counts.datasets} datasets, ${r.counts.files} files`);
      if (summary.stored) out.result(`  stored   ${summary.stored}`);
      if (summary.referrer) out.result(`  referrer ${summary.referrer.repository}@${summary.referrer.digest}`);
    }
    return 0;
  },
};
