// `mlbuild attest model SOURCE`: sign a model folder's file manifest (OMS-compatible) and store the bundle.
import type { Signer } from '../../attest/signer.js';
import { fail, writeFileAtomic } from '../../core/index.js';
import { bool, str, strs, type Command } from '../command.js';
import { checkSignerFlags, KEY_PASSWORD_ENV, signerFlags } from '../trust.js';
import { wiringFor } from '../wiring.js';

/** The attest model command. */
export const attestModelCommand: Command = {
  name: 'attest model',
  summary: 'Sign a model (or dataset) folder: every file hashed, source, commit and license recorded, bundle stored.',
  usage: 'attest model SOURCE (--key KEY | --keyless) [--include GLOB…] [--exclude GLOB…] [--store S] [-o FILE]',
  options: [
    { name: 'key', type: 'string', value: 'KEY', help: `private key PEM (password from ${KEY_PASSWORD_ENV})` },
    { name: 'keyless', type: 'boolean', help: 'sign with Fulcio + Rekor using an OIDC token (SIGSTORE_ID_TOKEN)' },
    { name: 'include', type: 'string', multiple: true, value: 'GLOB', help: 'sign only matching paths (a folder name takes all below it)' },
    { name: 'exclude', type: 'string', multiple: true, value: 'GLOB', help: 'leave matching paths out' },
    { name: 'store', type: 'string', value: 'S', help: 'store folder or oci://REGISTRY/REPO (default $MLBUILD_STORE, ~/.mlbuild/attestations)' },
    { name: 'no-store', type: 'boolean', help: 'do not store the bundle (use with -o)' },
    { name: 'output', short: 'o', type: 'string', value: 'FILE', help: 'also write the bundle to FILE' },
    { name: 'fulcio-url', type: 'string', value: 'URL', help: 'Fulcio for --keyless (default $SIGSTORE_FULCIO_URL or the public instance)' },
    { name: 'rekor-url', type: 'string', value: 'URL', help: 'Rekor for --keyless (default $SIGSTORE_REKOR_URL or the public instance)' },
    { name: 'tsa-url', type: 'string', value: 'URL', help: 'RFC 3161 timestamp authority for --keyless (optional)' },
  ],
  details: `SOURCE is git:URL[@REV] (cloned into a temp folder), git:PATH (an existing clone), dir:PATH or file:PATH.
.git/, .github/, .gitattributes and .gitignore are never hashed; symlinks and special files are refused.
Git LFS pointers are never hashed as weights: their oid is recorded as the digest when the content is absent.
Exit 0 signed; 2 bad input (bad flag or SOURCE, symlinks or special files, a key file that is unreadable or needs
another password); 3 environment error.`,
  async run(args, out, cli) {
    const source = args.positionals[0];
    if (!source || args.positionals.length > 1) fail('USAGE', 'attest model: expected exactly one SOURCE');
    const flags = signerFlags(args);
    checkSignerFlags(flags, 'attest model');
    const wiring = wiringFor(cli, out.event);
    // The hash workers start first, so that their start-up overlaps the module loading below.
    (await import('../../model/hash-pool.js')).warmHashWorkers();
    const { attestModel } = await import('../../pipeline/model-attest.js');
    // Made when attestModel asks (once hashing is under way): loading sigstore blocks this thread for a while.
    let signing: Promise<Signer> | undefined;
    const signer = (): Promise<Signer> => (signing ??= wiring.signer(flags, 'attest model'));
    const store = bool(args, 'no-store') ? undefined : await wiring.openStore(str(args, 'store'));
    await store?.prepare?.(); // a store path that cannot work fails before the hashing
    const r = await attestModel(source, { signer, store, include: strs(args, 'include'), exclude: strs(args, 'exclude'), events: out.event });
    out.done();
    const output = str(args, 'output');
    if (output) await writeFileAtomic(output, `${JSON.stringify(r.bundle)}\n`);
    for (const n of r.notes) out.warn(n);
    const facts = r.statement.predicate['dev.mlbuild/v1'] ?? {};
    const summary = {
      model: r.name,
      subject: `sha256:${r.statement.subject[0].digest.sha256}`,
      files: r.files,
      bytes: r.bytes,
      source: facts.source,
      commit: facts.commit,
      license: facts.license,
      signer: (await signer()).kind,
      stored: r.entry ? (r.entry.file.startsWith('oci://') ? r.entry.file : `${store?.location}/${r.entry.file}`) : undefined,
      output,
      notes: r.notes,
    };
    if (out.json) out.resultJson(summary);
    else {
      out.result(`attested ${r.name}: ${r.files} files, ${(r.bytes / 1e6).toFixed(1)} MB, subject ${summary.subject}`);
      if (facts.commit) out.result(`  commit  ${facts.commit}`);
      out.result(`  license ${facts.license ?? '(none in the model card)'}`);
      if (summary.stored) out.result(`  stored  ${summary.stored}`);
      if (output) out.result(`  bundle  ${output}`);
    }
    return 0;
  },
};
