// KeylessSigner: an ephemeral key certified by Fulcio for an OIDC identity, the signature logged in Rekor.
import { DSSEBundleBuilder, FulcioSigner, RekorWitness, TSAWitness, DEFAULT_FULCIO_URL, DEFAULT_REKOR_URL, type Witness } from '@sigstore/sign';
import { describeError, fail, isMlbuildError, MlbuildError } from '../core/errors.js';
import type { BundleJson } from './bundle.js';
import { buildDsseBundle, type Signer } from './signer.js';
import type { Statement } from './statement.js';

/** The environment variable read for an OIDC token when no provider is given (as cosign and sigstore-js do). */
export const ID_TOKEN_ENV = 'SIGSTORE_ID_TOKEN';

/** Where to get certificates, log entries and (optionally) timestamps, and whose identity to use. */
export interface KeylessOptions {
  /** An OIDC identity token, or a function producing one; defaults to `$SIGSTORE_ID_TOKEN`. */
  identityToken?: string | (() => Promise<string>);
  fulcioURL?: string;
  rekorURL?: string;
  /** When set, an RFC 3161 timestamp is added too. */
  tsaURL?: string;
  /** Request timeout in milliseconds. */
  timeout?: number;
  /** Rekor entry kind: `dsse` (default, as sigstore-js and cosign v3 write) or the older `intoto`. */
  tlogEntryType?: 'dsse' | 'intoto';
  /** Retries for 5xx/408/429 answers. */
  retries?: number;
  /** Where SIGSTORE_ID_TOKEN is looked up when no identityToken is given (the wiring passes the process's). */
  env?: NodeJS.ProcessEnv;
}

/** Keyless signer over @sigstore/sign: FulcioSigner + RekorWitness (dsse entries) + DSSEBundleBuilder. */
export class KeylessSigner implements Signer {
  readonly kind = 'keyless' as const;
  private readonly builder: DSSEBundleBuilder;

  constructor(opts: KeylessOptions = {}) {
    const env = opts.env ?? {};
    const token = opts.identityToken;
    const getToken = typeof token === 'function' ? token : async () => token ?? env[ID_TOKEN_ENV] ?? '';
    const fetchOpts = { timeout: opts.timeout, retry: opts.retries ?? 2 };
    const identityProvider = {
      getToken: async () => {
        const t = await getToken();
        if (!t) fail('USAGE', 'keyless signing needs an OIDC identity token', { hint: `set ${ID_TOKEN_ENV}` });
        return t;
      },
    };
    const signer = new FulcioSigner({ identityProvider, fulcioBaseURL: opts.fulcioURL ?? DEFAULT_FULCIO_URL, ...fetchOpts });
    const witnesses: Witness[] = [new RekorWitness({ rekorBaseURL: opts.rekorURL ?? DEFAULT_REKOR_URL, entryType: opts.tlogEntryType ?? 'dsse', ...fetchOpts })];
    if (opts.tsaURL) witnesses.push(new TSAWitness({ tsaBaseURL: opts.tsaURL, ...fetchOpts }));
    this.builder = new DSSEBundleBuilder({ signer, witnesses });
  }

  async signStatement(statement: Statement<unknown>): Promise<BundleJson> {
    try {
      return await buildDsseBundle(this.builder, statement);
    } catch (e) {
      throw translate(e);
    }
  }
}

function translate(e: unknown): MlbuildError {
  if (isMlbuildError(e)) return e;
  const cause = (e as { cause?: unknown }).cause;
  if (isMlbuildError(cause)) return cause; // our token provider's error, wrapped by sigstore
  const code = (e as { code?: unknown }).code;
  if (code === 'IDENTITY_TOKEN_PARSE_ERROR' || code === 'IDENTITY_TOKEN_READ_ERROR') {
    // sigstore's message embeds the token itself: keep neither message nor cause
    return new MlbuildError('USAGE', `keyless signing: unusable OIDC identity token (${code})`, { hint: `check ${ID_TOKEN_ENV}` });
  }
  const status = (cause as { statusCode?: unknown } | undefined)?.statusCode;
  const temporary = typeof status !== 'number' || status >= 500 || status === 408 || status === 429;
  return new MlbuildError('ENVIRONMENT', `keyless signing failed: ${describeError(e)}`, { cause: e, temporary });
}
