// The wiring resolves every environment default once, from the environment it is given; aborting its signal stops a
// docker CLI run (the build's Ctrl-C path) with the signal forwarded.
import { describe, expect, it } from 'vitest';
import { makeWiring } from '../../../src/cli/wiring.js';
import { runDocker } from '../../../src/docker/docker-cli.js';

const events = () => undefined;

describe('wiring', () => {
  it('resolves engine, docker CLI, store, cache, docker config and SBOM clock from the given environment', async () => {
    const env = {
      DOCKER_HOST: 'tcp://127.0.0.1:2375',
      MLBUILD_DOCKER: '/opt/docker',
      MLBUILD_STORE: '/tmp/mlbuild-wiring-store',
      MLBUILD_CACHE_DIR: '/tmp/mlbuild-wiring-cache',
      MLBUILD_DAEMON_READ: 'export',
      DOCKER_CONFIG: '/tmp/mlbuild-wiring-docker',
      SOURCE_DATE_EPOCH: '1700000000',
    };
    const w = makeWiring({ events, signal: new AbortController().signal, insecure: ['reg.local:5000'] }, env);
    expect(w.engine().endpoint.host).toBe('127.0.0.1');
    expect(w.engine().layerRead).toBe('export');
    expect(w.engine()).toBe(w.engine());
    expect(w.docker.binary).toBe('/opt/docker');
    expect(w.cacheDir).toBe('/tmp/mlbuild-wiring-cache');
    expect(w.registry).toMatchObject({ insecure: ['reg.local:5000'], dockerConfigDir: '/tmp/mlbuild-wiring-docker' });
    expect(w.sbomTime().toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect((await w.openStore()).location).toBe('/tmp/mlbuild-wiring-store');
    expect((await w.openStore('/tmp/other-store')).location).toBe('/tmp/other-store');
  });

  it('-H wins over DOCKER_HOST for the engine and the docker CLI; defaults without any variable', () => {
    const w = makeWiring({ host: 'unix:///tmp/mlbuild-wiring.sock', docker: '/bin/docker-x', events, signal: new AbortController().signal }, { DOCKER_HOST: 'tcp://127.0.0.1:2375', HOME: '/home/u' });
    expect(w.engine().endpoint.socketPath).toBe('/tmp/mlbuild-wiring.sock');
    expect(w.engine().layerRead).toBe('auto');
    expect(w.docker).toMatchObject({ binary: '/bin/docker-x', env: { DOCKER_HOST: 'unix:///tmp/mlbuild-wiring.sock' } });
    const bare = makeWiring({ events, signal: new AbortController().signal }, {});
    expect(bare.cacheDir).toMatch(/\.cache\/mlbuild$/);
    expect(Math.abs(bare.sbomTime().getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('a bad DOCKER_HOST fails only when the engine is needed (USAGE)', () => {
    const w = makeWiring({ events, signal: new AbortController().signal }, { DOCKER_HOST: 'ftp://nowhere' });
    expect(() => w.engine()).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('aborting the signal forwards SIGINT (or the SIGTERM reason) to the docker CLI run', async () => {
    for (const reason of ['SIGINT', 'SIGTERM'] as const) {
      const ctl = new AbortController();
      const run = runDocker(['30'], { binary: 'sleep', stdio: 'pipe', signal: ctl.signal });
      setTimeout(() => ctl.abort(reason), 100);
      const r = await run;
      expect(r.interrupted).toBe(reason);
      expect(r.code).toBe(reason === 'SIGINT' ? 130 : 143);
    }
  });
});
