// The main job on embedded defaults: a local registry, the example model served over git HTTP, the example service.
// attest → build (gated) → push with a signed SBOM referrer → verify → pull; then the two ways it must fail.
// Each step runs the real mlbuild CLI and checks its exit code; the script stops at the first surprise.
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startGitServer } from '../test/helpers/git-server.js';
import { commitFiles } from '../test/helpers/git-repo.js';
import { runCli, repoRoot } from '../test/helpers/cli.js';
import { docker } from '../test/helpers/docker.js';
import { makeExampleModel, EXAMPLE_MODEL } from './model-repo.js';

const WORK = process.env.MLBUILD_DEMO_DIR ?? '/tmp/mlbuild-demo';
const REGISTRY = process.env.MLBUILD_DEMO_REGISTRY ?? '127.0.0.1:5000';
const IMAGE = `${REGISTRY}/demo/ml-service:1.0`;
const env = { ...process.env, MLBUILD_CACHE_DIR: join(WORK, 'cache'), MLBUILD_STORE: join(WORK, 'store') };
const proved: string[] = [];

function say(text: string): void {
  process.stderr.write(`\n\x1b[1m== ${text}\x1b[0m\n`);
}

async function mlbuild(title: string, args: string[], expectCode = 0): Promise<string> {
  say(`${title}\n$ mlbuild ${args.join(' ')}`);
  const r = await runCli(args, { env, timeoutMs: 600_000 });
  process.stderr.write(r.stderr);
  if (r.stdout.trim() && !args.includes('--json') && !args.includes('sbom')) process.stderr.write(r.stdout);
  if (r.code !== expectCode) throw new Error(`"${title}" exited ${r.code}, expected ${expectCode}`);
  return r.stdout;
}

async function tagged(ref: string): Promise<boolean> {
  return (await docker(['image', 'inspect', ref])).code === 0;
}

async function main(): Promise<void> {
  await rm(WORK, { recursive: true, force: true });
  await mkdir(join(WORK, 'git'), { recursive: true });
  const model = await makeExampleModel(join(WORK, 'git'));
  const git = await startGitServer(join(WORK, 'git'));
  const modelUrl = `${git.url}/${EXAMPLE_MODEL}`;
  const keys = join(WORK, 'keys');
  const build = (tag: string, extra: string[] = []) => ['build', '--network', 'host', '-t', tag, '--build-arg', `MODEL_URL=${modelUrl}`, '--key', join(keys, 'mlbuild.key'), ...extra, join(repoRoot, 'examples/ml-service')];
  try {
    say(`example model ${EXAMPLE_MODEL} @ ${model.commit.slice(0, 12)} served over git HTTP at ${modelUrl}`);
    await mlbuild('a signing key pair', ['keys', 'generate', '--out', keys]);
    await mlbuild('attest the model (a signed manifest of its files, source, commit and license)', ['attest', 'model', `git:${modelUrl}`, '--key', join(keys, 'mlbuild.key')]);
    await docker(['image', 'rm', '-f', IMAGE]);
    await mlbuild('build the service: the clone is checked against the attestation, then tagged, signed and pushed', build(IMAGE, ['--push', '--sbom-out', join(WORK, 'sbom.cdx.json')]));
    const bom = JSON.parse(await readFile(join(WORK, 'sbom.cdx.json'), 'utf8')) as { components: Array<{ type: string; name: string; purl?: string; licenses?: Array<{ license: { id?: string } }>; components?: unknown[]; properties?: Array<{ name: string; value: string }> }> };
    const m = bom.components.find((c) => c.type === 'machine-learning-model');
    if (!m) throw new Error('the SBOM lists no model');
    proved.push(`the SBOM lists ${bom.components.filter((c) => c.type === 'library').length} packages and model ${m.name} (${m.purl}), license ${m.licenses?.[0]?.license.id}, ${m.components?.length} files with SHA-256, linked to attestation ${m.properties?.find((p) => p.name === 'mlbuild:attestation:subject')?.value.slice(0, 19)}`);
    // The MIT-only template trusts ./release.pub next to it: here, the demo's key.
    await copyFile(join(repoRoot, 'templates/policies/mit-only.yaml'), join(keys, 'policy.yaml'));
    await copyFile(join(keys, 'mlbuild.pub'), join(keys, 'release.pub'));
    await mlbuild('verify before pull: referrers → signature → subject digest → policy (MIT only, every model attested)', ['verify', 'image', IMAGE, '--policy', join(keys, 'policy.yaml')]);
    proved.push(`${IMAGE} carries a signed SBOM referrer that verify image accepts under the MIT-only policy`);
    await docker(['image', 'rm', '-f', IMAGE]);
    await mlbuild('pull exactly the verified digest', ['pull', IMAGE, '--key', join(keys, 'mlbuild.pub')]);
    proved.push('pull fetched the verified digest and tagged it locally');
    await mlbuild('a second key pair (a stranger)', ['keys', 'generate', '--out', join(WORK, 'other')]);
    await mlbuild('verify with the wrong key fails', ['verify', 'image', IMAGE, '--key', join(WORK, 'other', 'mlbuild.pub')], 1);
    proved.push('verify image rejects the image under a key that did not sign it');

    const changed = await commitFiles(model.dir, { 'model.safetensors': Buffer.from('poisoned weights') }, 'swap weights');
    const bad = `${REGISTRY}/demo/ml-service:poisoned`;
    await docker(['image', 'rm', '-f', bad]);
    await mlbuild(`upstream swaps the weights (now ${changed.slice(0, 12)}): the build must fail and leave no tag`, build(bad, ['--no-cache']), 1);
    if (await tagged(bad)) throw new Error(`${bad} was tagged although its model failed the check`);
    proved.push('a changed upstream model fails the build, and the image is not tagged');
    await mlbuild('an unattested model source stops the build before it starts', build(bad, ['--build-arg', `MODEL_URL=${git.url}/other/unknown-model`]), 1);
    proved.push('a model that was never attested stops the build before docker runs');
  } finally {
    await git.close();
  }
}

main().then(
  () => {
    say('what this proved');
    for (const p of proved) process.stderr.write(`  ✓ ${p}\n`);
  },
  (err: Error) => {
    process.stderr.write(`\ndemo failed: ${err.message}\n`);
    for (const p of proved) process.stderr.write(`  ✓ ${p}\n`);
    process.exitCode = 1;
  },
);
