// Pulling an image by digest through the Docker Engine API (`POST /images/create`), with the registry credentials
// from the docker config sent as X-Registry-Auth, so the pull uses the same credentials the verification used.
import { fail, type Digest } from '../core/index.js';
import { connectFailure, DockerEngine } from '../docker/index.js';
import { credentialsFor, loadDockerConfig, type ImageReference } from '../registry/index.js';

/** The X-Registry-Auth header value for a registry (base64url JSON), or undefined for anonymous pulls. */
export async function registryAuthHeader(registry: string, dockerConfigDir?: string): Promise<string | undefined> {
  const creds = await credentialsFor(registry, await loadDockerConfig(dockerConfigDir));
  if (!creds) return undefined;
  const body = creds.kind === 'basic'
    ? { username: creds.username, password: creds.password, serveraddress: registry }
    : { identitytoken: creds.identityToken, serveraddress: registry };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** The last error a JSON-lines progress stream reports (HTTP 200 notwithstanding), or the message of a failed status. */
function streamError(text: string, status: number): string | undefined {
  let error: string | undefined;
  for (const l of text.split('\n')) {
    if (!l.trim()) continue;
    try {
      const j = JSON.parse(l) as { error?: string; message?: string };
      if (j.error) error = j.error;
      else if (status >= 300 && j.message) error = j.message;
    } catch {
      // progress lines are not needed
    }
  }
  return error;
}

/** Reads the engine's JSON-lines progress stream; the last `error` line fails the pull. */
async function pullStream(engine: DockerEngine, path: string, auth: string | undefined, what: string): Promise<void> {
  const res = await engine.raw('POST', path, undefined, auth ? { 'X-Registry-Auth': auth } : {});
  let text = '';
  res.setEncoding('utf8');
  try {
    for await (const c of res) text = (text + (c as string)).slice(-64 * 1024);
  } catch (err) {
    fail('ENGINE_UNAVAILABLE', `${what}: the engine's progress stream broke off: ${connectFailure(err)}`, { cause: err });
  }
  const status = res.statusCode ?? 500;
  const error = streamError(text, status);
  if (status >= 300 || error) {
    const code = /unauthorized|denied|no basic auth/i.test(error ?? '') ? 'REGISTRY_ERROR' : status === 404 ? 'NOT_FOUND' : 'ENVIRONMENT';
    fail(code, `${what}: ${error ?? `engine answered ${status}`}`);
  }
}

/** Pulls `REPO@DIGEST` (never a tag) and checks the engine now holds an image with `configDigest` as its ID. */
export async function pullByDigest(
  engine: DockerEngine,
  ref: ImageReference,
  digest: Digest,
  opts: { configDigest?: Digest; platform?: string; dockerConfigDir?: string } = {},
): Promise<{ pulled: string; imageId: string }> {
  const pinned = `${ref.repository}@${digest}`;
  const q = new URLSearchParams({ fromImage: ref.repository, tag: digest });
  if (opts.platform) q.set('platform', opts.platform);
  await pullStream(engine, `/images/create?${q.toString()}`, await registryAuthHeader(ref.registry, opts.dockerConfigDir), `docker pull ${pinned}`);
  const info = await engine.inspectImage(pinned);
  if (opts.configDigest && info.Id !== opts.configDigest) {
    fail('VERIFY_FAILED', `the engine pulled ${pinned} as image ${info.Id}, but the verified manifest names config ${opts.configDigest}`);
  }
  return { pulled: pinned, imageId: info.Id };
}
