// Pulling an image by digest through the Docker Engine API (`POST /images/create`), with the registry credentials
// from the docker config sent as X-Registry-Auth, so the pull uses the same credentials the verification used.
import { request } from 'node:http';
import { describeError, fail, MlbuildError, type Digest } from '../core/index.js';
import { DockerEngine } from '../docker/index.js';
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

/** Reads the engine's JSON-lines progress stream; the last `error` line (HTTP 200 notwithstanding) fails the pull. */
function pullStream(engine: DockerEngine, path: string, auth: string | undefined, what: string): Promise<void> {
  const { socketPath, host, port } = engine.endpoint;
  const headers: Record<string, string> = auth ? { 'X-Registry-Auth': auth } : {};
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, host, port, method: 'POST', path, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text = (text + c).slice(-64 * 1024);
      });
      res.on('error', reject);
      res.on('end', () => {
        const lines = text.split('\n').filter((l) => l.trim() !== '');
        let error: string | undefined;
        for (const l of lines) {
          try {
            const j = JSON.parse(l) as { error?: string; message?: string };
            if (j.error) error = j.error;
            else if ((res.statusCode ?? 500) >= 300 && j.message) error = j.message;
          } catch {
            // progress lines are not needed
          }
        }
        if ((res.statusCode ?? 500) >= 300 || error) {
          const code = /unauthorized|denied|no basic auth/i.test(error ?? '') ? 'REGISTRY_ERROR' : res.statusCode === 404 ? 'NOT_FOUND' : 'ENVIRONMENT';
          reject(new MlbuildError(code, `${what}: ${error ?? `engine answered ${res.statusCode}`}`));
        } else resolve();
      });
    });
    req.on('error', (e) => reject(new MlbuildError('ENGINE_UNAVAILABLE', `cannot reach the Docker engine at ${engine.endpoint.display}: ${describeError(e)}`, { cause: e })));
    req.end();
  });
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
