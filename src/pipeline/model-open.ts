// Shared by attest and verify: open a SOURCE, scan it with a filter, and always close it (temp clones removed).
import type { EventSink } from '../core/events.js';
import { CARD_NAMES, fetchLfsContent, openModelSource, parseModelSource, scanModel, type ModelScan, type OpenedModel } from '../model/index.js';

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

/** Scans an opened model; the model card is always taken (it binds the license to the signature). */
export function scanOpened(m: OpenedModel, filter: ModelFilter, events?: EventSink): Promise<ModelScan> {
  return scanModel(m.root, { filter: { ...filter, always: CARD_NAMES }, only: m.only, events });
}
