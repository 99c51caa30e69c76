// The admission part of `mlbuild gate`: its flags and the routes they configure (the registry gate mounts the same).
import { loadAdmissionConfig } from '../../server/admission/config.js';
import { createDecider, type Decider, type DeciderOptions } from '../../server/admission/decider.js';
import { admissionRoutes, type AdmissionHandler } from '../../server/admission/routes.js';
import { str, strs, type OptionSpec, type Parsed } from '../command.js';
import type { Output } from '../output.js';
import type { Wiring } from '../wiring.js';
import { VERIFY_OPTIONS } from './image-flags.js';
import { parseDuration } from './gate-flags.js';

/** Flags of the admission endpoints: the verification flags (without --platform) and the configuration file. */
export const ADMISSION_OPTIONS: OptionSpec[] = [
  ...VERIFY_OPTIONS.filter((o) => o.name !== 'platform'),
  { name: 'admission-config', type: 'string', value: 'FILE', help: 'admission YAML: exemptNamespaces, exemptImages (globs), deadline' },
  { name: 'cache-ttl', type: 'string', value: 'D', help: 'how long a passing decision is kept, e.g. 5m (default 5m)' },
  { name: 'deny-ttl', type: 'string', value: 'D', help: 'how long a refusal is kept, e.g. 30s (default 30s)' },
];

/** A duration flag (`500ms`, `30s`, `5m`) in milliseconds; USAGE when malformed. */
export function durationFlag(args: Parsed, name: string): number | undefined {
  const v = str(args, name);
  return v === undefined ? undefined : parseDuration(v, `--${name}`);
}

/** The public keys (PEM) of `--trust-gate`: gates whose signed verification summaries are accepted. */
export async function trustGateKeys(args: Parsed): Promise<string[]> {
  const { loadPublicKey } = await import('../../attest/index.js');
  return Promise.all(strs(args, 'trust-gate').map(async (k) => (await loadPublicKey(k)).pem));
}

/** The admission routes and their decider from the flags. */
export async function admissionFrom(args: Parsed, out: Output, wiring: Wiring, known?: DeciderOptions['known']): Promise<{ handler: AdmissionHandler; decider: Decider }> {
  const { policyFrom, trustFrom } = await import('../trust.js');
  const file = str(args, 'admission-config');
  const config = file ? await loadAdmissionConfig(file) : undefined;
  const policy = await policyFrom(args);
  const trust = await trustFrom(args, policy, 'gate');
  const decider = createDecider({
    trust,
    policy,
    store: await wiring.openStore(str(args, 'store')),
    registry: wiring.registry,
    ttlMs: durationFlag(args, 'cache-ttl'),
    denyTtlMs: durationFlag(args, 'deny-ttl'),
    trustGate: await trustGateKeys(args),
    known,
  });
  return { handler: admissionRoutes({ decide: decider.decide, config, events: out.event }), decider };
}
