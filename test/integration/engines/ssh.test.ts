// An ssh:// engine: a real sshd on 127.0.0.1 (own key and config in a temp dir); mlbuild and the docker CLI both run
// `ssh -l root -p PORT -- 127.0.0.1 docker system dial-stdio` through an `ssh` on PATH that adds the test's config.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_IMAGES, removeImage, runCli, useTempDir } from '../../helpers/index.js';
import { sshdMissing, startSshd, type Sshd } from '../../helpers/sshd.js';
import { expectOneLineError, roundTrip } from './setup.js';

const missing = sshdMissing();
const tmp = useTempDir('engine-ssh');
let sshd: Sshd | undefined;
const made: string[] = [];

/** docker's environment for the ssh engine. */
function sshEnv(port: number): NodeJS.ProcessEnv {
  return { DOCKER_HOST: `ssh://root@127.0.0.1:${port}`, PATH: `${sshd!.binDir}:${process.env.PATH ?? ''}` };
}

describe.skipIf(missing !== undefined)(`an ssh:// engine${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    sshd = await startSshd(join(tmp.path, 'sshd'));
  });
  afterAll(async () => {
    await sshd?.stop();
    await removeImage(...made);
  });

  it('build (BuildKit over ssh) pushes a signed SBOM, sbom docker: reads it remotely, pull fetches it back', async () => {
    const r = await roundTrip(join(tmp.path, 'trip'), { env: { ...sshEnv(sshd!.port), DOCKER_BUILDKIT: '1' } });
    made.push(r.ref);
  });

  it("runs docker's ssh command line and reuses its sessions (one for an SBOM's several engine requests)", async () => {
    const before = (await sshd!.sessions()).length;
    const r = await runCli(['sbom', `docker:${BASE_IMAGES.busybox}`, '-o', join(tmp.path, 'busybox.json')], { env: sshEnv(sshd!.port) });
    expect(r.code, r.stderr).toBe(0);
    const sessions = (await sshd!.sessions()).slice(before);
    expect(sessions).toEqual([`-o ConnectTimeout=30 -T -l root -p ${sshd!.port} -- 127.0.0.1 docker system dial-stdio`]);
  });

  it('an ssh host that refuses the connection fails in one line with exit 3', async () => {
    const r = await runCli(['sbom', `docker:${BASE_IMAGES.busybox}`, '-o', join(tmp.path, 'x.json')], { env: sshEnv(1), timeoutMs: 60_000 });
    expectOneLineError(r, 3);
  });
});
