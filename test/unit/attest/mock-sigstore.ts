// Test helper: @sigstore/mock's Fulcio and Rekor handlers served over real HTTP on 127.0.0.1, and their trusted root.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sign } from 'node:crypto';
import { X509Certificate } from '@sigstore/core';
import { fulcioHandler, initializeCA, initializeTLog, rekorHandler, type HandlerFn } from '@sigstore/mock';

type CTLog = NonNullable<Parameters<typeof initializeCA>[1]>;

/**
 * A CT log for the mock CA. @sigstore/mock 0.11's own initializeCTLog cannot be used: with pkijs 3.4 / asn1js 3.1
 * its SCT comes out with an empty signature, and the mock CA frames the SCT list without the per-SCT length
 * prefix, so @sigstore/core cannot parse it. This one returns the SCT already length-prefixed (RFC 6962 §3.3),
 * which the mock CA's one-byte list framing then completes correctly.
 */
function ctLog(): CTLog {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const logID = createHash('sha256').update(spki).digest();
  const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
  return {
    publicKey: spki,
    logID,
    log: async (preCert: ArrayBuffer, issuerID: ArrayBuffer) => {
      const tbs = X509Certificate.parse(Buffer.from(preCert)).tbsCertificate.toDER();
      const ts = Buffer.alloc(8);
      ts.writeBigUInt64BE(BigInt(Date.now()));
      const len24 = Buffer.from([tbs.length >> 16, (tbs.length >> 8) & 0xff, tbs.length & 0xff]);
      const signed = Buffer.concat([Buffer.from([0, 0]), ts, u16(1), Buffer.from(issuerID), len24, tbs, u16(0)]);
      const sig = sign('sha256', signed, privateKey);
      const sct = Buffer.concat([Buffer.from([0]), logID, ts, u16(0), Buffer.from([4, 3]), u16(sig.length), sig]);
      const framed = Buffer.concat([u16(sct.length), sct]);
      return framed.buffer.slice(framed.byteOffset, framed.byteOffset + framed.length) as ArrayBuffer;
    },
  };
}

/** A running mock Fulcio + Rekor and the trusted_root.json that trusts them. */
export interface MockSigstore {
  url: string;
  trustedRoot: unknown;
  requests: string[];
  close(): Promise<void>;
}

/** Starts the mock services; one server answers both Fulcio's and Rekor's paths. */
export async function startMockSigstore(): Promise<MockSigstore> {
  const routes = new Map<string, HandlerFn>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url}`);
      const fn = req.method === 'POST' ? routes.get(req.url ?? '') : undefined;
      if (!fn) {
        res.writeHead(404).end();
        return;
      }
      fn(Buffer.concat(chunks).toString('utf8')).then(
        (r) => res.writeHead(r.statusCode, { 'content-type': r.contentType ?? 'text/plain' }).end(r.response),
        (e: unknown) => res.writeHead(500).end(String(e)),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const ec = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ctlog = ctLog();
  const ca = await initializeCA(ec(), ctlog);
  const tlog = await initializeTLog(url, ec());
  const fulcio = fulcioHandler(ca);
  const rekor = rekorHandler(tlog);
  routes.set(fulcio.path, fulcio.fn);
  routes.set(rekor.path, (body) => rekor.fn(asRekorStoresDsse(body)));

  const start = new Date(Date.now() - 3600_000).toISOString();
  const b64 = (b: Buffer) => b.toString('base64');
  const trustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [
      {
        baseUrl: url,
        hashAlgorithm: 'SHA2_256',
        publicKey: { rawBytes: b64(tlog.publicKey), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start } },
        logId: { keyId: b64(createHash('sha256').update(tlog.publicKey).digest()) },
      },
    ],
    certificateAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
        uri: url,
        certChain: { certificates: [{ rawBytes: b64(ca.rootCertificate) }] },
        validFor: { start },
      },
    ],
    ctlogs: [
      {
        baseUrl: url,
        hashAlgorithm: 'SHA2_256',
        publicKey: { rawBytes: b64(ctlog.publicKey), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start } },
        logId: { keyId: b64(ctlog.logID) },
      },
    ],
    timestampAuthorities: [],
  };
  return {
    url,
    trustedRoot,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Mock Rekor logs the proposed entry verbatim. Real Rekor stores a `dsse` v0.0.1 entry in canonical form (hashes
 * and signatures, no envelope), which is what verifiers compare against; this does that translation. `intoto`
 * entries pass through: their proposed form already is the stored form.
 */
function asRekorStoresDsse(body: string): string {
  const entry = JSON.parse(body) as { kind?: string; apiVersion?: string; spec?: { proposedContent?: { envelope: string; verifiers: string[] } } };
  const proposed = entry.spec?.proposedContent;
  if (entry.kind !== 'dsse' || !proposed) return body;
  const env = JSON.parse(proposed.envelope) as { payload: string; signatures: { sig: string }[] };
  const sha = (b: Buffer | string) => ({ algorithm: 'sha256', value: createHash('sha256').update(b).digest('hex') });
  return JSON.stringify({
    apiVersion: entry.apiVersion,
    kind: 'dsse',
    spec: {
      envelopeHash: sha(proposed.envelope),
      payloadHash: sha(Buffer.from(env.payload, 'base64')),
      signatures: env.signatures.map((sg) => ({ signature: sg.sig, verifier: proposed.verifiers[0] })),
    },
  });
}

/** An unsigned JWT carrying the claims mock Fulcio reads (it decodes without verifying, as its docs say). */
export function fakeIdToken(claims: Record<string, unknown>): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ aud: 'sigstore', ...claims })}.`;
}
