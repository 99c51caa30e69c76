// Identified files as the model gate sees them, archive members included (named `archive!member`).
import type { ProbeFacts } from '../probe.js';
import { classifyContent, type ClassifyOptions, type ContentInfo } from './classify.js';

/** One identified file of an image (or member of an archive in it), from the merged view or the SBOM. */
export interface ContentFile {
  path: string;
  size: number;
  sha256?: string;
  layer?: number;
  info: ContentInfo;
}

/** The identified members of an archive's facts, named `archive!member` (nested: `a!b!c`); archives themselves left out. */
export function archiveMembers(path: string, layer: number | undefined, facts: ProbeFacts, o: ClassifyOptions = {}): ContentFile[] {
  const members = Array.isArray(facts.members) ? (facts.members as Array<{ path: string; size: number; sha256?: string; facts?: ProbeFacts }>) : [];
  const out: ContentFile[] = [];
  for (const m of members) {
    const info = m.facts ? classifyContent(m.path, m.size, m.facts, o) : undefined;
    if (info && info.cls !== 'archive') out.push({ path: `${path}!${m.path}`, size: m.size, sha256: m.sha256, layer, info });
  }
  return out;
}
