// `mlbuild gate`: the registry gate. Builds its dependencies from the flags and the wiring (upstream client, trust,
// policy, store, keys), starts the server, and when the run's signal fires (SIGTERM/SIGINT) drains it; the server
// itself never exits or reads the environment.
import { readFile } from 'node:fs/promises';
import { describeError, fail } from '../../core/index.js';
import { bool, str, strs, type Command, type Parsed } from '../command.js';
import { parseDuration, parseListen, parseUpstream } from './gate-flags.js';
import type { Output } from '../output.js';
import type { GateServer } from '../../server/gate.js';
import type { DeciderOptions } from '../../server/admission/decider.js';
import { wiringFor, type Wiring } from '../wiring.js';

async function readFlagFile(args: Parsed, flag: string): Promise<Buffer | undefined> {
  const file = str(args, flag);
  if (!file) return undefined;
  try {
    return await readFile(file);
  } catch (e) {
    fail('USAGE', `--${flag} ${file}: ${describeError(e)}`, { cause: e });
  }
}

/** The gate command. */
export const gateCommand: Command = {
  name: 'gate',
  summary: 'Run an OCI registry gate: manifests are served only after their signed attestations pass the policy.',
  usage: 'gate [--upstream URL] --listen HOST:PORT [--admission-config F] [--key PUB…] [--policy FILE] [--tls-cert F --tls-key F] [--htpasswd F] [--allow-push] [--cache-ttl D] [--deny-ttl D] [--blobs any|verified] [--sign-key KEY] [--trust-gate PUB…]',
  options: [
    { name: 'upstream', type: 'string', value: 'URL', help: 'the registry behind the gate (http://HOST:PORT or https://HOST)' },
    { name: 'listen', type: 'string', value: 'HOST:PORT', help: 'where the gate listens (default 127.0.0.1:5080 with --upstream; required without)' },
    { name: 'key', type: 'string', multiple: true, value: 'PUB', help: 'trusted public key PEM of image signers (adds to the policy signers)' },
    { name: 'policy', type: 'string', value: 'FILE', help: 'policy YAML judged over every image' },
    { name: 'trusted-root', type: 'string', value: 'FILE', help: 'sigstore trusted_root.json for keyless bundles' },
    { name: 'store', type: 'string', value: 'S', help: 'where model attestations are looked up besides the referrers' },
    { name: 'tls-cert', type: 'string', value: 'FILE', help: 'serve HTTPS with this certificate (PEM)' },
    { name: 'tls-key', type: 'string', value: 'FILE', help: 'the private key of --tls-cert' },
    { name: 'htpasswd', type: 'string', value: 'FILE', help: 'clients must authenticate (basic auth, bcrypt entries as htpasswd -B writes)' },
    { name: 'allow-push', type: 'boolean', help: 'pass uploads and manifest PUTs through for authenticated clients' },
    { name: 'cache-ttl', type: 'string', value: 'D', help: 'how long an approval is reused', default: '5m' },
    { name: 'deny-ttl', type: 'string', value: 'D', help: 'how long a denial is reused', default: '10s' },
    { name: 'blobs', type: 'string', value: 'any|verified', help: 'verified: serve only blobs of manifests this gate approved', default: 'any' },
    { name: 'sign-key', type: 'string', value: 'KEY', help: 'sign verification summaries with this key and attach them as referrers' },
    { name: 'trust-gate', type: 'string', multiple: true, value: 'PUB', help: "accept other gates' summaries signed by this key" },
    { name: 'insecure-registry', type: 'string', multiple: true, value: 'HOST', help: 'speak plain HTTP to HOST[:PORT] (loopback always is)' },
    { name: 'admission-config', type: 'string', value: 'FILE', help: 'Kubernetes admission YAML: exemptNamespaces, exemptImages (globs), deadline' },
  ],
  details: `Speaks the OCI distribution API in front of one upstream registry, for every client (docker, containerd,
skopeo, podman, mlbuild). A tag is resolved upstream, the digest is verified (or its cached decision reused) and
exactly the verified bytes are served; a denial is HTTP 403 DENIED naming the findings and their MITRE ATLAS ids.
Upstream faults never serve an unverified manifest. The referrers API is served for every repository. /healthz and
/metrics (Prometheus) are open; one JSON audit line per decision goes to stderr. SIGTERM drains and exits 0.
The same listener serves the Kubernetes admission webhooks, POST /admission/mutate (verify every pod image, pin it
to the verified digest) and POST /admission/validate; without --upstream only those are served. Admission verifies
images in their own registries with the gate's docker config credentials (pods' imagePullSecrets are not read).
Exit 2 bad flags or files; 3 the address cannot be bound.`,
  cancellable: true,
  async run(args, out, cli) {
    const [{ startGate, Htpasswd }, { RegistryClient }, { policyFrom, trustFrom }] = await Promise.all([
      import('../../server/index.js'), import('../../registry/index.js'), import('../trust.js'),
    ]);
    const wiring = wiringFor(cli, out.event, { insecure: strs(args, 'insecure-registry') });
    if (args.positionals.length > 0) fail('USAGE', `gate: unexpected argument ${args.positionals[0]}`);
    const upstreamText = str(args, 'upstream');
    if (!upstreamText && !str(args, 'listen')) fail('USAGE', 'gate: give --upstream URL (the registry gate, with the admission endpoints) or --listen HOST:PORT alone (the admission endpoints only)');
    const listen = parseListen(str(args, 'listen') ?? '127.0.0.1:5080');
    if (!upstreamText) return admissionOnly(args, out, listen, wiring);
    const upstream = parseUpstream(upstreamText);
    const blobs = str(args, 'blobs') ?? 'any';
    if (blobs !== 'any' && blobs !== 'verified') fail('USAGE', `--blobs ${blobs}: expected any or verified`);
    const [cert, key] = [await readFlagFile(args, 'tls-cert'), await readFlagFile(args, 'tls-key')];
    if (Boolean(cert) !== Boolean(key)) fail('USAGE', 'gate: give --tls-cert and --tls-key together');
    const htpasswdText = await readFlagFile(args, 'htpasswd');
    const htpasswd = htpasswdText ? Htpasswd.parse(htpasswdText.toString('utf8'), str(args, 'htpasswd')) : undefined;
    if (bool(args, 'allow-push') && !htpasswd) fail('USAGE', 'gate: --allow-push needs --htpasswd (pushes only for authenticated clients)');
    const policy = await policyFrom(args);
    const trust = await trustFrom(args, policy, 'gate');
    const signKey = str(args, 'sign-key');
    const summarySigner = signKey ? await wiring.signer({ key: signKey }, 'gate') : undefined;
    const trustGate = await (await import('./admission-flags.js')).trustGateKeys(args);
    const client = new RegistryClient({ ...wiring.registry, insecure: [...strs(args, 'insecure-registry'), ...(upstream.insecure ? [upstream.host] : [])], fetch: { timeoutMs: 15_000, maxAttempts: 3 } });
    const ttlMs = parseDuration(str(args, 'cache-ttl') ?? '5m', '--cache-ttl');
    const denyTtlMs = parseDuration(str(args, 'deny-ttl') ?? '10s', '--deny-ttl');
    const store = await wiring.openStore(str(args, 'store'));
    let server;
    // One process, one set of decisions: admission reviews of images behind this gate reuse the decision the registry
    // gate already made for that digest (same policy and trust), and verify only what it has not decided.
    const held: { ctx?: GateServer['context'] } = {};
    const known: DeciderOptions['known'] = (ref, digest) => {
      const ctx = held.ctx;
      if (!ctx || ref.registry !== upstream.host) return undefined;
      const d = ctx.cache.get(ctx.key(ref.name, digest));
      return d && d.via !== 'pass-through' ? { ok: d.ok, findings: d.findings.map((f) => ({ kind: f.kind, message: f.message, atlas: f.atlas })) } : undefined;
    };
    try {
      server = await startGate(
        {
          upstream: client, upstreamHost: upstream.host, trust, policy, store, events: out.event, ttlMs, denyTtlMs, blobs, allowPush: bool(args, 'allow-push'), htpasswd, summarySigner, trustGate,
          admission: (await (await import('./admission-flags.js')).admissionFrom(args, out, wiring, known)).handler,
        },
        { ...listen, tls: cert && key ? { cert, key } : undefined },
      );
    } catch (e) {
      fail('ENVIRONMENT', `gate: cannot listen on ${listen.host}:${listen.port}: ${describeError(e)}`, { cause: e });
    }
    held.ctx = server.context;
    out.info(`gate: ${server.url} → ${upstream.host}`);
    out.info(`mlbuild gate: admission endpoints on ${server.url}/admission/mutate and /admission/validate`);
    if (out.json) out.resultJson({ listening: server.url, upstream: upstream.host });
    await untilSignal(server, out, wiring.signal);
    return 0;
  },
};

/** Without --upstream: only the Kubernetes admission endpoints, on the same kind of listener. */
async function admissionOnly(args: Parsed, out: Output, listen: { host: string; port: number }, wiring: Wiring): Promise<number> {
  const [cert, key] = [await readFlagFile(args, 'tls-cert'), await readFlagFile(args, 'tls-key')];
  if (Boolean(cert) !== Boolean(key)) fail('USAGE', 'gate: give --tls-cert and --tls-key together');
  const { handler } = await (await import('./admission-flags.js')).admissionFrom(args, out, wiring);
  const { serveAdmission } = await import('../../server/admission/serve.js');
  // serveAdmission reports a bad TLS pair (exit 2) and an address it cannot bind (exit 3) itself.
  const server = await serveAdmission(handler, { listen, tls: cert && key ? { cert, key } : undefined });
  out.info(`mlbuild gate: admission endpoints on ${server.url}/admission/mutate and /admission/validate`);
  if (out.json) out.resultJson({ listening: server.url });
  await untilSignal(server, out, wiring.signal);
  return 0;
}

/** Waits for the run's signal (the CLI aborts it on SIGTERM or SIGINT), then drains the server. */
async function untilSignal(gate: { close(): Promise<void> }, out: Output, signal: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      out.info(`gate: ${String(signal.reason)}, draining`);
      void gate.close().then(resolve);
    };
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
}
