// Podman's Docker-compatible API (podman system service on a temp socket, classic builder, own storage): mlbuild
// build -H, sbom docker: and pull work against it as against dockerd.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_IMAGES, runCli, useTempDir } from '../../helpers/index.js';
import { podmanMissing, startPodman, type PodmanService } from '../../helpers/podman.js';
import { roundTrip } from './setup.js';

const missing = podmanMissing();
const tmp = useTempDir('podman');
let service: PodmanService | undefined;

describe.skipIf(missing !== undefined)(`Podman's Docker API${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    service = await startPodman(join(tmp.path, 'podman'), [BASE_IMAGES.busybox]);
  });
  afterAll(async () => {
    await service?.stop();
  });

  it('build -H (classic builder) pushes a signed SBOM, sbom docker: reads the image, pull fetches it back by digest', async () => {
    const host = service!.dockerHost;
    const r = await roundTrip(join(tmp.path, 'trip'), { env: { DOCKER_HOST: host, DOCKER_BUILDKIT: '0' }, buildArgs: ['-H', host] });
    // Podman's own view agrees: it holds the pulled image under the verified ID.
    const inspected = await service!.podman(['image', 'inspect', '--format', '{{.Id}}', r.ref]);
    expect(`sha256:${inspected.stdout.trim()}`).toBe(r.imageId);
    // `mlbuild -H HOST COMMAND`, as `docker -H HOST …`, with no DOCKER_HOST set.
    const viaFlag = await runCli(['-H', host, 'sbom', `docker:${r.ref}`], { env: { DOCKER_HOST: '' } });
    expect(viaFlag.code, viaFlag.stderr).toBe(0);
    expect((JSON.parse(viaFlag.stdout) as { components: Array<{ purl?: string }> }).components.map((c) => c.purl)).toContain('pkg:npm/engine-probe@1.2.3');
  });
});
