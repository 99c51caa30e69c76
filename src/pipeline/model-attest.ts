// The `attest model` workflow: open the source, hash every file on all cores, read the card, build the
// OMS-compatible statement with mlbuild's facts, sign it, and store the bundle.
import { buildModelStatement, type ModelFacts, type ModelPredicate } from '../attest/model-statement.js';
import type { Statement } from '../attest/statement.js';
import type { StoreEntry } from '../attest/store-entry.js';
import type { BundleJson } from '../attest/bundle.js';
import type { Signer } from '../attest/signer.js';
import { fail } from '../core/errors.js';
import { noEvents, warn, type EventSink } from '../core/events.js';
import { CARD_NAMES, readCardFacts } from '../model/card.js';
import { startScan, withModelSource, type ModelFilter } from './model-open.js';
import type { ModelStore } from './model-store.js';

/** mlbuild's facts as written: ModelFacts plus the `--exclude` globs. */
export type AttestedFacts = ModelFacts & { exclude?: string[] };

/** Options of attestModel. */
export interface AttestModelOptions extends ModelFilter {
  /**
   * The signer, its promise, or a function making it: called once the hash workers have their files, so that
   * loading sigstore (which blocks this thread) neither delays the start of hashing nor runs after it.
   */
  signer: Signer | Promise<Signer> | (() => Signer | Promise<Signer>);
  /** Where to keep the bundle; omitted: not stored. */
  store?: ModelStore;
  events?: EventSink;
}

/** What attestModel produced. */
export interface AttestModelResult {
  name: string;
  statement: Statement<ModelPredicate>;
  bundle: BundleJson;
  entry?: StoreEntry;
  files: number;
  bytes: number;
  /** Notes such as "lfs: pointer digests used". */
  notes: string[];
}

/** Attests a model source; BAD_TARGET for symlinks, special files or an empty selection. */
export async function attestModel(source: string, opts: AttestModelOptions): Promise<AttestModelResult> {
  const events = opts.events ?? noEvents;
  return withModelSource(source, async (m) => {
    events({ type: 'step', name: 'hashing', detail: m.name });
    const { scanning, started } = startScan(m, opts, events);
    // Once the workers have their files, this thread loads the signer and reads the model card while they hash.
    const signing = started.then(() => (typeof opts.signer === 'function' ? opts.signer() : opts.signer));
    const reading = started.then((paths) => readCardFacts(m.root, new Set(paths)));
    reading.catch(() => undefined); // awaited below, after the scan's own errors
    const [scan, signer] = await Promise.all([scanning, signing]);
    if (scan.problems.length > 0) {
      const list = scan.problems.map((p) => `${p.path} (${p.kind})`).join(', ');
      fail('BAD_TARGET', `model ${m.name} contains files that cannot be signed (allow_symlinks is false): ${list}`);
    }
    if (scan.files.length === 0) fail('BAD_TARGET', `model ${m.name} has no files to sign${opts.include?.length ? ' (check --include)' : ''}`);
    if (opts.include?.length && scan.files.every((f) => CARD_NAMES.includes(f.path))) {
      fail('USAGE', `--include ${opts.include.join(' ')} matches no file of ${m.name} besides the model card`);
    }
    const card = await reading;
    for (const w of card.warnings) warn(events, w);
    const facts: AttestedFacts = {};
    if (m.source) facts.source = m.source;
    if (m.revision) facts.revision = m.revision;
    if (m.commit) facts.commit = m.commit;
    if (card.license) facts.license = card.license;
    if (card.card) facts.card = card.card;
    if (opts.include?.length) facts.include = [...opts.include];
    if (opts.exclude?.length) facts.exclude = [...opts.exclude];
    const notes = [...m.notes];
    if (scan.lfs.length > 0) {
      facts.lfs = scan.lfs;
      notes.push(`lfs: pointer digests used for ${scan.lfs.length} file(s) without content: ${scan.lfs.map((l) => l.path).join(', ')}`);
    }
    const statement = buildModelStatement({ name: m.name, files: scan.files, facts });
    events({ type: 'step', name: 'signing', detail: signer.kind });
    const bundle = await signer.signStatement(statement);
    const entry = opts.store ? await opts.store.put(bundle) : undefined;
    return { name: m.name, statement, bundle, entry, files: scan.files.length, bytes: scan.files.reduce((n, f) => n + f.size, 0), notes };
  });
}
