// Shared by attest and verify: open a SOURCE, scan it with a filter, and always close it (temp clones removed).
import type { EventSink } from '../core/events.js';
// The model modules one by one (not model/index.js), so that verify loads neither the card parser nor unused parts.
import { CARD_NAMES } from '../model/card.js';
import { fetchLfsContent, openModelSource, type OpenedModel } from '../model/open-source.js';
import { scanModel, type ModelScan } from '../model/scan.js';
import { parseModelSource } from '../model/source-spec.js';

/** Filters over the model folder: globs to take and to leave out. */
export interface ModelFilter {
  include?: string[];
  exclude?: string[];
}

/** Opens `source`, runs `fn` with it, and closes it whatever happens. */
export async function withModelSource<T>(source: string, fn: (m: OpenedModel) => Promise<T>): Promise<T> {
  const opened = await openModelSource(parseModelSource(source));
  try {
    if (opened.gitClone) {
      const note = await fetchLfsContent(opened);
      if (note) opened.notes.push(note);
    }
    return await fn(opened);
  } finally {
    await opened.close();
  }
}

/**
 * Scans an opened model; the model card is always taken (it binds the license to the signature). `started` is
 * called with the paths taken once the hash workers have all their files (see scanModel).
 */
export function scanOpened(m: OpenedModel, filter: ModelFilter, events?: EventSink, started?: (paths: string[]) => void): Promise<ModelScan> {
  return scanModel(m.root, { filter: { ...filter, always: CARD_NAMES }, only: m.only, events, started });
}

/**
 * Scans like scanOpened; `started` resolves (with the paths taken) once the hash workers have all their files, and
 * never when the scan fails before that (wait for it together with `scanning`). Work that blocks this thread
 * (loading sigstore) should wait for it, so that it does not hold up the walk and the start of hashing.
 */
export function startScan(m: OpenedModel, filter: ModelFilter, events?: EventSink): { scanning: Promise<ModelScan>; started: Promise<string[]> } {
  let mark!: (paths: string[]) => void;
  const started = new Promise<string[]>((resolve) => (mark = resolve));
  return { scanning: scanOpened(m, filter, events, mark), started };
}
