// apk file ownership: lib/apk/db/installed "F:" folders and "R:" files (their "Z:" sha1 is not computed: unchecked).
import type { FileView } from '../types.js';
import { textOf } from '../packages/text-probe.js';
import type { Claims } from './claims.js';

/** Claims every file the apk installed database lists, unchecked. */
export function apkClaims(view: FileView, claims: Claims): void {
  const text = textOf(view.get('lib/apk/db/installed'));
  if (text === undefined) return;
  let pkg = '';
  let dir = '';
  for (const line of text.text.split('\n')) {
    if (line.length < 2 || line[1] !== ':') {
      if (line.trim() === '') {
        pkg = '';
        dir = '';
      }
      continue;
    }
    const value = line.slice(2).trim();
    if (line[0] === 'P') pkg = value;
    else if (line[0] === 'F') dir = value;
    else if (line[0] === 'R' && pkg !== '') claims.check(dir === '' ? value : `${dir}/${value}`, `apk:${pkg}`, 'sha256', undefined);
  }
}
