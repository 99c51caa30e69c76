// The registry surface: an OCI distribution client (manifests, blobs, tags, platforms, referrers) and its parts.
export { RegistryClient, type RegistryClientOptions, type Resolved } from './client.js';
export type { RegistrySession } from './session.js';
export type { AttachOptions, ListReferrersOptions } from './referrers.js';
export { fallbackTag, type FallbackUpdateOptions } from './fallback-index.js';
export type { PushBlobResult } from './blobs.js';
export type { PutManifestResult } from './manifests.js';
export { MAX_MANIFEST_BYTES } from './manifests.js';
export {
  ImageReference,
  parseReference,
  parseRepository,
  toReference,
  toRepository,
  apiHost,
  DOCKER_HUB,
  type Repository,
  type RepositoryLike,
} from './reference.js';
export { parsePlatform, hostPlatform, selectPlatform, formatPlatform, type PlatformSpec } from './platform.js';
export {
  MediaType,
  ALL_MANIFEST_TYPES,
  isIndex,
  isIndexType,
  type Descriptor,
  type ImageIndex,
  type ImageManifest,
  type FetchedManifest,
  type Platform,
} from './types.js';
export { RegistryError, responseError, type OciErrorEntry } from './errors.js';
export { type Credentials, type DockerConfig, loadDockerConfig, credentialsFor, dockerConfigDir } from './docker-config.js';
export type { CredentialSource } from './auth.js';
export { parseWwwAuthenticate, type Challenge } from './www-authenticate.js';
export { repositoryScope } from './auth.js';
export { USER_AGENT, type FetchPolicy } from './fetch.js';
export { isLoopbackHost } from './transport.js';
