// The main job on embedded defaults: a local registry, the example model served over git HTTP, the example service.
// Each step runs the real mlbuild CLI; the script stops at the first step that does not do what it should.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startGitServer } from '../test/helpers/git-server.js';
import { runCli, repoRoot } from '../test/helpers/cli.js';
import { docker } from '../test/helpers/docker.js';
import { makeExampleModel, EXAMPLE_MODEL } from './model-repo.js';

const WORK = process.env.MLBUILD_DEMO_DIR ?? '/tmp/mlbuild-demo';
const IMAGE = 'mlbuild-example/ml-service:1.0';

function say(text: string): void {
  process.stderr.write(`\n\x1b[1m== ${text}\x1b[0m\n`);
}

async function step(title: string, args: string[], expectCode = 0): Promise<string> {
  say(`${title}\n$ mlbuild ${args.join(' ')}`);
  const r = await runCli(args, { env: { ...process.env, MLBUILD_CACHE_DIR: join(WORK, 'cache') } });
  process.stderr.write(r.stderr);
  if (r.code !== expectCode) throw new Error(`step "${title}" exited ${r.code}, expected ${expectCode}`);
  return r.stdout;
}

async function main(): Promise<void> {
  await rm(WORK, { recursive: true, force: true });
  await mkdir(join(WORK, 'git'), { recursive: true });
  const { commit } = await makeExampleModel(join(WORK, 'git'));
  const git = await startGitServer(join(WORK, 'git'));
  const modelUrl = `${git.url}/${EXAMPLE_MODEL}`;
  try {
    say(`example model ${EXAMPLE_MODEL} @ ${commit.slice(0, 12)} served at ${modelUrl}`);
    say(`docker build of examples/ml-service (clones the model during the build)`);
    const b = await docker(['build', '--network', 'host', '-q', '-t', IMAGE, '--build-arg', `MODEL_URL=${modelUrl}`, join(repoRoot, 'examples/ml-service')], { env: { DOCKER_BUILDKIT: '1' } });
    if (b.code !== 0) throw new Error(`docker build failed: ${b.stderr}`);
    const sbomFile = join(WORK, 'sbom.cdx.json');
    await step('SBOM of the image: packages, the model with its card, license and file digests', ['sbom', `docker:${IMAGE}`, '-o', sbomFile]);
    const { readFile } = await import('node:fs/promises');
    const bom = JSON.parse(await readFile(sbomFile, 'utf8')) as { components: Array<{ type: string; name: string; purl?: string; licenses?: unknown[]; components?: unknown[] }> };
    const models = bom.components.filter((c) => c.type === 'machine-learning-model');
    say('what this proved');
    for (const m of models) {
      process.stderr.write(`model ${m.name} ${m.purl ?? ''}: license ${JSON.stringify(m.licenses)}, ${m.components?.length ?? 0} files with SHA-256\n`);
    }
    process.stderr.write(`${bom.components.filter((c) => c.type === 'library').length} packages, ${bom.components.filter((c) => c.type === 'file').length} other files; SBOM at ${sbomFile}\n`);
    if (models.length === 0) throw new Error('the SBOM lists no model');
  } finally {
    await git.close();
  }
}

main().then(
  () => say('demo finished: all steps did what they should'),
  (err: Error) => {
    process.stderr.write(`\ndemo failed: ${err.message}\n`);
    process.exitCode = 1;
  },
);
