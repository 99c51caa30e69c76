// The CI templates and the Dockerfile skeleton work as written: mlbuild installed from its release tarball (it is not
// on the npm registry), lowercase image names, a trusted root and a store for keyless verification, dind without
// TLS on 2375, and git present in the image before the model clone (which mlbuild still finds, pinned).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseDockerfile } from '../../../src/docker/dockerfile.js';
import { findModelFetches } from '../../../src/docker/model-fetches.js';
import { repoRoot } from '../../helpers/cli.js';

const text = (path: string) => readFile(join(repoRoot, 'templates', path), 'utf8');

interface Job {
  steps?: Array<{ run?: string }>;
  script?: string[];
  before_script?: string[];
  variables?: Record<string, string>;
}

describe('templates', () => {
  it('GitHub: installs the packed tarball, lowercases the repository, verifies with a trusted root and the store', async () => {
    const src = await text('github/mlbuild.yml');
    expect(src).not.toMatch(/npm install -g mlbuild\b/);
    expect(src).not.toContain('${{ github.repository }}'); // may hold capitals, invalid in image names
    const wf = parse(src) as { jobs: Record<string, Job> };
    for (const [name, job] of Object.entries(wf.jobs)) {
      const runs = (job.steps ?? []).map((s) => s.run ?? '').join('\n');
      expect(runs, name).toContain('npm install -g ./.mlbuild/mlbuild-*.tgz');
      expect(runs, name).toContain('${GITHUB_REPOSITORY,,}');
      expect(runs, name).toContain('MLBUILD_STORE=');
    }
    const verify = wf.jobs.verify.steps?.map((s) => s.run ?? '').join('\n') ?? '';
    expect(verify).toMatch(/mlbuild verify image .*--trusted-root \S+/);
    expect(verify).toContain('trusted_root.json');
  });

  it('GitLab: dind on 2375 without TLS, mlbuild from the packed tarball', async () => {
    const ci = parse(await text('gitlab/mlbuild.gitlab-ci.yml')) as Record<string, Job>;
    expect(ci.mlbuild.variables?.DOCKER_HOST).toBe('tcp://docker:2375');
    expect(ci.mlbuild.variables?.DOCKER_TLS_CERTDIR).toBe('');
    for (const job of [ci.mlbuild, ci['verify-before-deploy']]) {
      const lines = [...(job.before_script ?? []), ...(job.script ?? [])];
      expect(lines).toContain('npm install -g ./.mlbuild/mlbuild-*.tgz');
      expect(lines.join('\n')).not.toMatch(/npm install -g mlbuild\b/);
    }
  });

  it('Dockerfile: git is installed before the clone, and the pinned model fetch is still found', async () => {
    const src = await text('docker/Dockerfile');
    const install = src.search(/apt-get install[^\n]*\bgit\b/);
    const clone = src.indexOf('git clone');
    expect(install).toBeGreaterThan(0);
    expect(install).toBeLessThan(clone);
    const fetches = findModelFetches(parseDockerfile(src));
    expect(fetches).toEqual([expect.objectContaining({ kind: 'git', source: 'https://huggingface.co/org/model', revision: '0123456789abcdef0123456789abcdef01234567' })]);
  });
});

describe('gate templates', () => {
  /** The gate flags of a command line after `mlbuild gate`, parsed by the command's own parser. */
  async function gateArgs(words: string[]) {
    const { gateCommand } = await import('../../../src/cli/commands/gate.js');
    const { parseCommandArgs } = await import('../../../src/cli/command.js');
    return parseCommandArgs(gateCommand, words);
  }

  it('systemd unit: ExecStart runs mlbuild gate with flags the command accepts', async () => {
    const unit = await text('gate/mlbuild-gate.service');
    const exec = /^ExecStart=\/usr\/bin\/env mlbuild gate (.+)$/m.exec(unit)?.[1];
    expect(exec).toBeDefined();
    const args = await gateArgs(exec?.split(/\s+/) ?? []);
    expect(args.values.upstream).toBe('https://registry.example');
    expect(args.values['tls-cert']).toBeDefined();
    expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
  });

  it('Dockerfile: the entrypoint runs mlbuild gate with accepted flags and the health check asks /healthz', async () => {
    const src = await text('gate/Dockerfile');
    const entry = JSON.parse(/^ENTRYPOINT (\[.+\])$/m.exec(src)?.[1] ?? '[]') as string[];
    expect(entry.slice(0, 2)).toEqual(['mlbuild', 'gate']);
    expect((await gateArgs(entry.slice(2))).values.listen).toBe('0.0.0.0:5080');
    expect(src).toContain('/healthz');
    expect(src).toContain('npm install -g /tmp/mlbuild-*.tgz');
  });
});
