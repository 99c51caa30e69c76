// The model card facts that go into an attestation: SPDX license and a summary of the README front matter.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cardLicenses } from '../catalog/ml/license.js';

/** The README file names looked for at the model root, in order. */
export const CARD_NAMES = ['README.md', 'readme.md', 'Readme.md', 'README.MD'];

/** License and card summary of a model folder, plus the card's path (signed with the other files). */
export interface CardFacts {
  path?: string;
  license?: string;
  card?: Record<string, unknown>;
  warnings: string[];
}

/** Reads the model card at `root` (the first of CARD_NAMES present); empty facts when there is none. */
export async function readCardFacts(root: string, present: Set<string>): Promise<CardFacts> {
  const path = CARD_NAMES.find((n) => present.has(n));
  if (!path) return { warnings: [] };
  // The card parser (YAML) loads only here, so that verifying a model does not pay for it.
  const [text, { parseCard }] = await Promise.all([readFile(join(root, path), 'utf8'), import('../catalog/ml/card.js')]);
  const parsed = parseCard(text.slice(0, 256 * 1024));
  const licenses = cardLicenses(parsed.card);
  const c = parsed.card;
  const card: Record<string, unknown> = {};
  const put = (k: string, v: unknown): void => {
    if (v !== undefined) card[k] = v;
  };
  put('license', c.license);
  put('license_name', c.licenseName);
  put('license_link', c.licenseLink);
  put('pipeline_tag', c.task);
  put('library_name', c.libraryName);
  put('base_model', c.baseModel);
  put('datasets', c.datasets);
  put('language', c.language);
  put('tags', c.tags);
  return {
    path,
    license: licenses.length > 1 ? licenses.join(' OR ') : licenses[0],
    card: Object.keys(card).length > 0 ? card : undefined,
    warnings: parsed.warnings,
  };
}
