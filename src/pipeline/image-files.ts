// The files policy over a signed SBOM: reads each file component's owner properties back and judges them.
import type { FileOwner, PackageFileState } from '../catalog/owners/index.js';
import { judgeFiles, type FileFinding, type OwnedFile } from '../policy/index.js';
import type { FilesPolicy } from '../policy/types.js';

type Component = { type?: unknown; name?: unknown; properties?: unknown; components?: unknown };
const STATES: readonly string[] = ['verified', 'unverified', 'conffile-modified', 'modified'];

function propsOf(c: Component): Map<string, string> {
  const out = new Map<string, string>();
  if (Array.isArray(c.properties)) {
    for (const p of c.properties as Array<{ name?: unknown; value?: unknown }>) {
      if (typeof p.name === 'string' && typeof p.value === 'string' && !out.has(p.name)) out.set(p.name, p.value);
    }
  }
  return out;
}

// "md5:<hex>" → ["md5", "<hex>"].
function digest(v: string | undefined): { alg?: 'md5' | 'sha256'; hex?: string } {
  const m = /^(md5|sha256):([0-9a-f]+)$/.exec(v ?? '');
  return m === null ? {} : { alg: m[1] as 'md5' | 'sha256', hex: m[2] };
}

function ownerOf(p: Map<string, string>): FileOwner | undefined {
  const label = p.get('mlbuild:file:owner');
  if (label === undefined) return undefined;
  if (label === 'unaccounted' || label === 'context') return { kind: label };
  if (label.startsWith('model:')) return { kind: 'model', name: label.slice(6) };
  const state = p.get('mlbuild:file:ownerState') ?? 'unverified';
  const want = digest(p.get('mlbuild:file:ownerWant'));
  const got = digest(p.get('mlbuild:file:ownerGot'));
  return { kind: 'package', id: label, state: (STATES.includes(state) ? state : 'unverified') as PackageFileState, alg: want.alg, want: want.hex, got: got.hex };
}

function* ownedFiles(components: unknown): Generator<OwnedFile> {
  if (!Array.isArray(components)) return;
  for (const c of components as Component[]) {
    yield* ownedFiles(c.components);
    if (c.type !== 'file' || typeof c.name !== 'string') continue;
    const p = propsOf(c);
    const owner = ownerOf(p);
    if (owner === undefined) continue;
    const layer = Number(p.get('mlbuild:layer:index'));
    yield { path: c.name.replace(/^\//, ''), size: Number(p.get('mlbuild:file:size') ?? 0), layer: Number.isInteger(layer) ? layer : undefined, owner, kind: p.get('mlbuild:file:kind') };
  }
}

/** Judges the file owners a CycloneDX SBOM records (mlbuild:file:* properties) by the policy's files rules. */
export function sbomFileFindings(policy: FilesPolicy, sbom: Record<string, unknown>): FileFinding[] {
  return judgeFiles(policy, ownedFiles(sbom.components));
}
