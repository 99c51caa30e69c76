// Totals of file ownership: unaccounted files by kind (files, bytes) and owned files by owner kind and state.
import type { FileView } from '../types.js';
import { fileKind } from './kind.js';
import type { FileOwner, FileOwners } from './types.js';

/** The SBOM label of an owner: "deb:bash", "pypi:numpy", "model:<name>", "context" or "unaccounted". */
export function ownerLabel(o: FileOwner): string {
  if (o.kind === 'package') return o.id;
  if (o.kind === 'model') return `model:${o.name}`;
  return o.kind;
}

/** Unaccounted files of one kind. */
export interface UnaccountedKind {
  kind: string;
  files: number;
  bytes: number;
}

/** What the ownership pass found, in totals. */
export interface OwnershipSummary {
  /** Regular files in the view. */
  files: number;
  /** Files by owner label: "package:verified", "package:unverified", "package:modified", "model", "context"… */
  owned: Record<string, number>;
  /** Unaccounted files by kind, largest total first (then by kind). */
  unaccounted: UnaccountedKind[];
}

/** Sums the owners of a view's files. */
export function ownershipSummary(owners: FileOwners, view: FileView): OwnershipSummary {
  const owned: Record<string, number> = {};
  const kinds = new Map<string, UnaccountedKind>();
  for (const [path, o] of owners) {
    if (o.kind !== 'unaccounted') {
      const label = o.kind === 'package' ? `package:${o.state}` : o.kind;
      owned[label] = (owned[label] ?? 0) + 1;
      continue;
    }
    const f = view.get(path);
    if (f === undefined) continue;
    const kind = fileKind(f);
    const k = kinds.get(kind) ?? { kind, files: 0, bytes: 0 };
    k.files++;
    k.bytes += f.size;
    kinds.set(kind, k);
  }
  const unaccounted = [...kinds.values()].sort((a, b) => b.bytes - a.bytes || (a.kind < b.kind ? -1 : 1));
  return { files: owners.size, owned, unaccounted };
}
