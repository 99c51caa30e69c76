// Image references parsed the way docker does: registry, repository name, tag and digest.
import { fail } from '../core/errors.js';
import { isDigest, type Digest } from '../core/digest.js';

/** The registry that short names such as `ubuntu` live in. */
export const DOCKER_HUB = 'docker.io';
/** The host that actually serves the Docker Hub API. */
export const DOCKER_HUB_API = 'registry-1.docker.io';

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const NAME_RE = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const HOST_RE = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[a-fA-F0-9:.]+\])(?::[0-9]{1,5})?$/;

/** A repository: the registry host (with port) and the path-like name inside it. */
export interface Repository {
  readonly registry: string;
  readonly name: string;
}

/** A parsed image reference; the tag defaults to `latest` only when neither tag nor digest was given. */
export class ImageReference implements Repository {
  constructor(
    readonly registry: string,
    readonly name: string,
    readonly tag?: string,
    readonly digest?: Digest,
  ) {}

  /** `registry/name`, without tag or digest. */
  get repository(): string {
    return `${this.registry}/${this.name}`;
  }

  /** What the manifest API is asked for: the digest when known, else the tag. */
  get reference(): string {
    return this.digest ?? this.tag ?? 'latest';
  }

  /** The same repository and tag, pinned to `digest`. */
  withDigest(digest: Digest): ImageReference {
    if (!isDigest(digest)) fail('BAD_TARGET', `not a sha256 digest: ${String(digest)}`);
    return new ImageReference(this.registry, this.name, this.tag, digest);
  }

  /** The same repository with another tag and no digest. */
  withTag(tag: string): ImageReference {
    if (!TAG_RE.test(tag)) fail('BAD_TARGET', `invalid tag: ${tag}`);
    return new ImageReference(this.registry, this.name, tag);
  }

  /** The fully qualified form, e.g. `docker.io/library/ubuntu:latest`. */
  toString(): string {
    return `${this.repository}${this.tag ? `:${this.tag}` : ''}${this.digest ? `@${this.digest}` : ''}`;
  }
}

/** The host to send API requests to for a registry name (Docker Hub is served elsewhere). */
export function apiHost(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_API : registry;
}

function splitDomain(name: string): [string, string] {
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  const isDomain = slash !== -1 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase());
  let registry = isDomain ? first : DOCKER_HUB;
  let rest = isDomain ? name.slice(slash + 1) : name;
  if (registry === 'index.docker.io') registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && !rest.includes('/')) rest = `library/${rest}`;
  return [registry, rest];
}

/** Parses an image reference such as `127.0.0.1:5000/ns/app:1.0`, `app@sha256:…` or `ubuntu`. */
export function parseReference(input: string): ImageReference {
  const s = input.trim();
  if (s === '') fail('BAD_TARGET', 'empty image reference');
  if (/\s/.test(s)) fail('BAD_TARGET', `image reference contains whitespace: ${JSON.stringify(input)}`);
  let rest = s;
  let digest: Digest | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    const d = rest.slice(at + 1);
    if (!d.startsWith('sha256:')) fail('BAD_TARGET', `unsupported digest algorithm in ${input} (only sha256)`);
    if (!isDigest(d)) fail('BAD_TARGET', `invalid digest in ${input}`);
    digest = d;
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) fail('BAD_TARGET', `invalid tag "${tag}" in ${input}`);
  }
  const [registry, name] = splitDomain(rest);
  if (!HOST_RE.test(registry)) fail('BAD_TARGET', `invalid registry host "${registry}" in ${input}`);
  if (name !== name.toLowerCase()) fail('BAD_TARGET', `repository name must be lowercase: ${input}`);
  if (!NAME_RE.test(name)) fail('BAD_TARGET', `invalid repository name "${name}" in ${input}`);
  if (registry.length + 1 + name.length > 255) fail('BAD_TARGET', `repository name longer than 255 characters: ${input}`);
  return new ImageReference(registry, name, tag ?? (digest ? undefined : 'latest'), digest);
}

/** Parses a repository (no tag, no digest) such as `127.0.0.1:5000/ns/app`. */
export function parseRepository(input: string): Repository {
  const s = input.trim();
  if (s.includes('@') || s.lastIndexOf(':') > s.lastIndexOf('/')) {
    fail('BAD_TARGET', `expected a repository without tag or digest: ${input}`);
  }
  const ref = parseReference(s);
  return { registry: ref.registry, name: ref.name };
}

/** Anything a repository argument may be given as: a parsed value or a string. */
export type RepositoryLike = Repository | string;

/** Normalises a repository argument. */
export function toRepository(repo: RepositoryLike): Repository {
  return typeof repo === 'string' ? parseRepository(repo) : { registry: repo.registry, name: repo.name };
}

/** A reference argument: a parsed reference or a string. */
export function toReference(ref: ImageReference | string): ImageReference {
  return typeof ref === 'string' ? parseReference(ref) : ref;
}

/** `registry/name:tag` or `registry/name@sha256:…`, as a reference with this tag or digest is written. */
export function formatReference(registry: string, name: string, tagOrDigest: string): string {
  return `${registry}/${name}${isDigest(tagOrDigest) ? '@' : ':'}${tagOrDigest}`;
}
