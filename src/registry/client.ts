// RegistryClient: the front door of the OCI distribution client, one session per registry host.
import { fail } from '../core/errors.js';
import { type Digest } from '../core/digest.js';
import { noEvents, type EventSink } from '../core/events.js';
import { Authorizer, type CredentialSource } from './auth.js';
import { fetchBlob, statBlob, uploadBlob, type PushBlobOptions, type PushBlobResult } from './blobs.js';
import { credentialsFor, loadDockerConfig } from './docker-config.js';
import { DEFAULT_FETCH_POLICY, type FetchPolicy } from './fetch.js';
import { deleteManifest, fetchManifest, headManifest, putManifest, type PutManifestResult } from './manifests.js';
import { parsePlatform, selectPlatform, type PlatformSpec } from './platform.js';
import { toReference, toRepository, type ImageReference, type RepositoryLike } from './reference.js';
import { attachReferrer, detachReferrer, listReferrers, type AttachOptions, type ListReferrersOptions } from './referrers.js';
import { RegistrySession } from './session.js';
import { fetchTags } from './tags.js';
import { registryBaseUrl } from './transport.js';
import { isIndex, type Descriptor, type FetchedManifest } from './types.js';

/** How a client connects: insecure (plain HTTP) hosts, where credentials come from, retry policy, event sink. */
export interface RegistryClientOptions {
  /** Registries (host[:port]) to speak plain HTTP to; loopback hosts always are. */
  insecure?: string[];
  /** Credential lookup; default: the docker CLI config (`$DOCKER_CONFIG` or `~/.docker`). */
  credentials?: CredentialSource;
  /** Folder of the docker `config.json`, when `credentials` is not given. */
  dockerConfigDir?: string;
  /** Retry, timeout and user-agent settings over the defaults. */
  fetch?: Partial<Omit<FetchPolicy, 'events'>>;
  /** Receives retry and warning events; the library never prints. */
  events?: EventSink;
}

/** A manifest resolved from a reference; `index` is set when it was chosen out of an index by platform. */
export interface Resolved extends FetchedManifest {
  index?: Descriptor;
}

/** Talks to OCI registries: manifests, blobs, tags, platforms and referrers. */
export class RegistryClient {
  readonly events: EventSink;
  private readonly policy: FetchPolicy;
  private readonly sessions = new Map<string, RegistrySession>();
  private readonly credentials: CredentialSource;

  constructor(private readonly opts: RegistryClientOptions = {}) {
    this.events = opts.events ?? noEvents;
    this.policy = { ...DEFAULT_FETCH_POLICY, ...opts.fetch, events: this.events };
    this.credentials =
      opts.credentials ?? (async (registry) => credentialsFor(registry, await loadDockerConfig(opts.dockerConfigDir)));
  }

  /** The session of one registry host (created on first use). */
  session(registry: string): RegistrySession {
    let s = this.sessions.get(registry);
    if (!s) {
      const authorizer = new Authorizer(registry, this.credentials, this.policy);
      s = new RegistrySession(registry, registryBaseUrl(registry, this.opts.insecure), authorizer, this.policy);
      this.sessions.set(registry, s);
    }
    return s;
  }

  /** Fetches a manifest by tag or digest, checked against its digest. */
  async getManifest(ref: ImageReference | string, opts: { accept?: readonly string[] } = {}): Promise<FetchedManifest> {
    const r = toReference(ref);
    return fetchManifest(this.session(r.registry), r.name, r.reference, opts.accept);
  }

  /** A manifest's descriptor without its body; undefined when missing. */
  async headManifest(ref: ImageReference | string, opts: { accept?: readonly string[] } = {}): Promise<Descriptor | undefined> {
    const r = toReference(ref);
    return headManifest(this.session(r.registry), r.name, r.reference, opts.accept);
  }

  /** Uploads a manifest under a tag or its digest and returns its digest. */
  async putManifest(repo: RepositoryLike, tagOrDigest: string, bytes: Buffer, mediaType: string): Promise<Digest> {
    return (await this.putManifestResult(repo, tagOrDigest, bytes, mediaType)).digest;
  }

  /** Like putManifest, also returning the registry's `OCI-Subject` header. */
  async putManifestResult(repo: RepositoryLike, tagOrDigest: string, bytes: Buffer, mediaType: string): Promise<PutManifestResult> {
    const r = toRepository(repo);
    return putManifest(this.session(r.registry), r.name, tagOrDigest, bytes, mediaType);
  }

  /** Deletes a manifest by digest; false when it did not exist. */
  async deleteManifest(repo: RepositoryLike, digest: Digest): Promise<boolean> {
    const r = toRepository(repo);
    return deleteManifest(this.session(r.registry), r.name, digest);
  }

  /** Streams a blob, verified against digest (and size when given) while it flows. */
  getBlob(repo: RepositoryLike, digest: Digest, opts: { size?: number } = {}): AsyncIterable<Buffer> {
    const r = toRepository(repo);
    return fetchBlob(this.session(r.registry), r.name, digest, opts.size);
  }

  /** Reads a small blob whole (configs, bundles), refusing more than `maxBytes`. */
  async readBlob(repo: RepositoryLike, digest: Digest, opts: { size?: number; maxBytes?: number } = {}): Promise<Buffer> {
    const cap = opts.maxBytes ?? 64 * 1024 * 1024;
    if (opts.size !== undefined && opts.size > cap) fail('CORRUPT_INPUT', `blob ${digest}: ${opts.size} bytes is more than ${cap}`);
    const parts: Buffer[] = [];
    let total = 0;
    for await (const chunk of this.getBlob(repo, digest, opts)) {
      total += chunk.length;
      if (total > cap) fail('CORRUPT_INPUT', `blob ${digest}: more than ${cap} bytes`);
      parts.push(Buffer.from(chunk));
    }
    return Buffer.concat(parts);
  }

  /** A blob's size, or undefined when the repository does not have it. */
  async blobSize(repo: RepositoryLike, digest: Digest): Promise<number | undefined> {
    const r = toRepository(repo);
    return statBlob(this.session(r.registry), r.name, digest);
  }

  /** True when the repository has the blob. */
  async blobExists(repo: RepositoryLike, digest: Digest): Promise<boolean> {
    const r = toRepository(repo);
    return (await statBlob(this.session(r.registry), r.name, digest)) !== undefined;
  }

  /** Uploads a blob (buffer: monolithic; stream: chunked), mounting it from `opts.from` when possible. */
  async pushBlob(
    repo: RepositoryLike,
    digest: Digest,
    data: Buffer | AsyncIterable<Uint8Array>,
    opts: { from?: RepositoryLike; chunkBytes?: number } = {},
  ): Promise<PushBlobResult> {
    const r = toRepository(repo);
    const from = opts.from === undefined ? undefined : toRepository(opts.from);
    const upload: PushBlobOptions = { chunkBytes: opts.chunkBytes, from: from && from.registry === r.registry ? from.name : undefined };
    return uploadBlob(this.session(r.registry), r.name, digest, data, upload);
  }

  /** Every tag of a repository. */
  async listTags(repo: RepositoryLike): Promise<string[]> {
    const r = toRepository(repo);
    return fetchTags(this.session(r.registry), r.name);
  }

  /** Resolves a reference to one manifest; an index is narrowed to `platform` (default the host's) unless `index: 'keep'`. */
  async resolve(ref: ImageReference | string, opts: { platform?: string | PlatformSpec; index?: 'select' | 'keep' } = {}): Promise<Resolved> {
    const r = toReference(ref);
    const top = await this.getManifest(r);
    if (!isIndex(top.manifest) || opts.index === 'keep') return top;
    const platform = typeof opts.platform === 'string' ? parsePlatform(opts.platform) : opts.platform;
    const chosen = selectPlatform(top.manifest, platform);
    const child = await this.getManifest(r.withDigest(chosen.digest));
    return { ...child, index: { mediaType: top.mediaType, digest: top.digest, size: top.size } };
  }

  /** The referrers of a subject manifest (referrers API, else the `sha256-<hex>` tag fallback). */
  async listReferrers(repo: RepositoryLike, subject: Digest, opts: ListReferrersOptions = {}): Promise<Descriptor[]> {
    return listReferrers(this, toRepository(repo), subject, opts);
  }

  /** Pushes a referrer manifest (it must carry `subject`) and makes it discoverable; returns its descriptor. */
  async attachReferrer(repo: RepositoryLike, manifestBytes: Buffer, descriptor: Partial<Descriptor> = {}, opts: AttachOptions = {}): Promise<Descriptor> {
    return attachReferrer(this, toRepository(repo), manifestBytes, descriptor, opts);
  }

  /** Removes a referrer from the fallback index and deletes its manifest. */
  async detachReferrer(repo: RepositoryLike, subject: Digest, referrer: Digest, opts: AttachOptions = {}): Promise<void> {
    return detachReferrer(this, toRepository(repo), subject, referrer, opts);
  }
}
