// Cross-checking a model's attested license with the Hugging Face Hub API (`/api/models/<id>` → cardData.license).
import { describeError, fail } from '../core/errors.js';
import type { Finding } from './finding.js';
import { licenseKey } from './licenses.js';

/** The Hub model id (`org/name`) of a source URL: its last two path components. */
export function hubModelId(source: string): string | undefined {
  const path = source.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]+/i, '').replace(/\.git$/, '').replace(/\/+$/, '');
  const parts = path.split('/').filter(Boolean);
  return parts.length >= 2 ? parts.slice(-2).join('/') : undefined;
}

/** The license the Hub states for a model (from cardData), or undefined; REGISTRY_UNREACHABLE when the Hub does not answer. */
export async function hubLicense(hubUrl: string, id: string, revision?: string): Promise<string | undefined> {
  try {
    const { modelInfo } = await import('@huggingface/hub'); // loaded only when a cross-check is asked for
    const info = await modelInfo({ name: id, hubUrl: hubUrl.replace(/\/+$/, ''), additionalFields: ['cardData'], revision });
    const lic = (info.cardData as { license?: unknown } | undefined)?.license;
    return typeof lic === 'string' ? lic : Array.isArray(lic) && typeof lic[0] === 'string' ? lic[0] : undefined;
  } catch (e) {
    fail('REGISTRY_UNREACHABLE', `Hugging Face API ${hubUrl} for ${id}: ${describeError(e)}`, { cause: e, temporary: true });
  }
}

/** A finding when the Hub's license differs from the attested one (HF ids and SPDX ids compared alike). */
export function compareHubLicense(model: string, attested: string | null, hub: string | undefined): Finding | undefined {
  if (!hub) return undefined;
  if (attested && licenseKey(attested) === licenseKey(hub)) return undefined;
  return { kind: 'hub-license-mismatch', model, want: attested ?? undefined, got: hub, message: `the Hub states license ${hub} for ${model}, the attestation ${attested ?? 'none'}` };
}
