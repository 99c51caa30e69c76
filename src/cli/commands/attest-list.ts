// `mlbuild attest list`: what the attestation store holds; unreadable entries are warned about, the rest listed.
import { fail } from '../../core/index.js';
import { str, type Command } from '../command.js';
import { wiringFor } from '../wiring.js';

/** The attest list command. */
export const attestListCommand: Command = {
  name: 'attest list',
  summary: 'List the attestations in the store (source, commit, subject, bundle file).',
  usage: 'attest list [--store S] [--json]',
  options: [{ name: 'store', type: 'string', value: 'S', help: 'store folder or oci://REGISTRY/REPO (default $MLBUILD_STORE, ~/.mlbuild/attestations)' }],
  details: 'A store entry that cannot be read is named in a warning (and under "problems" with --json); it does not fail the listing.',
  async run(args, out, cli) {
    if (args.positionals.length > 0) fail('USAGE', `attest list: unexpected argument ${args.positionals[0]}`);
    const store = await wiringFor(cli, out.event).openExistingStore(str(args, 'store'));
    const { entries, problems } = await store.list();
    if (out.json) {
      out.resultJson({ store: store.location, entries, problems: problems.map((p) => ({ code: p.code, message: p.message })) });
    } else {
      for (const e of entries) {
        const subject = e.subjects.map((s) => `${s.name} ${s.digest.slice(0, 19)}…`).join(', ');
        out.result(`${e.created}  ${e.source ?? '-'}${e.commit ? `@${e.commit.slice(0, 12)}` : ''}  ${subject}  ${e.file}`);
      }
      out.info(`${entries.length} attestation(s) in ${store.location}${problems.length > 0 ? `, ${problems.length} unreadable` : ''}`);
    }
    for (const p of problems) out.warn(p.message);
    return 0;
  },
};
