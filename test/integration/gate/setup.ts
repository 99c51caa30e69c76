// Shared fixtures of the gate tests: an in-process gate on a random 127.0.0.1 port in front of a real registry (or
// a fault proxy before it), images built, pushed and attested with the real CLI, and raw OCI requests.
import { readFile } from 'node:fs/promises';
import type { MlEvent } from '../../../src/core/index.js';
import { RegistryClient } from '../../../src/registry/index.js';
import { startGate, type GateDeps, type GateServer } from '../../../src/server/index.js';
import { MANIFEST_ACCEPT, REGISTRY } from '../../helpers/index.js';
import { attest, pushedImage, type KeyFiles } from '../image-attest/setup.js';

export { pushedImage, writeKeys, type KeyFiles } from '../image-attest/setup.js';

/** A gate plus the audit records it emitted. */
export interface TestGate {
  server: GateServer;
  /** `127.0.0.1:<port>`, for image references through the gate. */
  host: string;
  audits: Record<string, unknown>[];
  close(): Promise<void>;
}

/** Starts a gate in this process over `upstream` (default the open test registry) trusting `pubs`. */
export async function startTestGate(pubs: string[], upstream = REGISTRY, extra: Partial<GateDeps> = {}): Promise<TestGate> {
  const audits: Record<string, unknown>[] = [];
  const events = (e: MlEvent): void => {
    if (e.type === 'audit') audits.push(e.record);
  };
  const keys = await Promise.all(pubs.map((p) => readFile(p, 'utf8')));
  const server = await startGate(
    { upstream: new RegistryClient({ credentials: async () => undefined, fetch: { timeoutMs: 3000, maxAttempts: 2, baseDelayMs: 20 } }), upstreamHost: upstream, trust: { keys }, events, ...extra },
    { host: '127.0.0.1', port: 0 },
  );
  const host = `127.0.0.1:${server.port}`;
  return { server, host, audits, close: () => server.close(1000) };
}

/** A pushed image with a signed SBOM referrer attached by `attest image --push`. */
export async function attestedImage(dir: string, keys: KeyFiles, opts: { repo?: string; tag?: string } = {}) {
  const img = await pushedImage(dir, opts);
  const a = await attest(img.ref, keys, `${dir}/store`, ['--push']);
  if (a.code !== 0) throw new Error(`attest image ${img.ref} failed: ${a.stderr}`);
  return img;
}

/** A raw manifest request to the gate (or a registry): status, headers and body bytes. */
export async function getManifest(host: string, name: string, reference: string, auth?: string) {
  const res = await fetch(`http://${host}/v2/${name}/manifests/${reference}`, { headers: { Accept: MANIFEST_ACCEPT, ...(auth ? { Authorization: auth } : {}) } });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

/** The repository name of `127.0.0.1:5000/test/x` (everything after the host). */
export function nameOf(repository: string): string {
  return repository.slice(repository.indexOf('/') + 1);
}
