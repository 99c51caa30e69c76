// The round trip every engine transport must carry: mlbuild build --push, sbom docker:REF, pull, all through one
// engine (Podman, TLS tcp://, ssh://) chosen by the environment, checked against the registry and that engine.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { BASE_IMAGES, docker, REGISTRY, runCli, uniqueRepo, type RunResult } from '../../helpers/index.js';
import { writeKeys } from '../image-attest/setup.js';

/** How a test reaches its engine: environment for every command, and flags for `mlbuild build` (e.g. -H). */
export interface EngineAccess {
  env: NodeJS.ProcessEnv;
  buildArgs?: string[];
}

/** The registry's digest of REF's manifest (Docker v2 or OCI), or undefined when it has no such tag. */
export async function registryDigest(ref: string): Promise<string | undefined> {
  const m = /^([^/]+)\/(.+):([^:/]+)$/.exec(ref);
  if (!m) throw new Error(`not a REGISTRY/REPO:TAG reference: ${ref}`);
  const accept = 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json';
  const res = await fetch(`http://${m[1]}/v2/${m[2]}/manifests/${m[3]}`, { method: 'HEAD', headers: { accept } });
  return res.ok ? (res.headers.get('docker-content-digest') ?? undefined) : undefined;
}

/** The image ID the engine of `access` holds under REF, or undefined. */
export async function engineImageId(access: EngineAccess, ref: string): Promise<string | undefined> {
  const r = await docker(['image', 'inspect', '--format', '{{.Id}}', ref], { env: access.env });
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** A one-line error: no stack trace, a single `mlbuild:` line on stderr. */
export function expectOneLineError(r: RunResult, exitCode: number): void {
  expect(r.code, r.stderr).toBe(exitCode);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^mlbuild: /);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

/** What {@link roundTrip} observed. */
export interface RoundTrip {
  ref: string;
  imageId: string;
  pushedDigest: string;
  sbomComponents: string[];
}

/**
 * Builds a unique image (with one npm package in it) through the engine with `mlbuild build --push`, reads its SBOM
 * with `mlbuild sbom docker:REF`, removes it from the engine and pulls it back with `mlbuild pull`.
 */
export async function roundTrip(dir: string, access: EngineAccess): Promise<RoundTrip> {
  const keys = await writeKeys(join(dir, 'keys'), 'signer');
  const ctx = join(dir, `ctx-${randomBytes(4).toString('hex')}`);
  await mkdir(join(ctx, 'pkg'), { recursive: true });
  await writeFile(join(ctx, 'pkg', 'package.json'), JSON.stringify({ name: 'engine-probe', version: '1.2.3', license: 'MIT' }));
  await writeFile(join(ctx, 'Dockerfile'), `FROM ${BASE_IMAGES.busybox}\nCOPY pkg /app/node_modules/engine-probe\nRUN echo ${randomBytes(8).toString('hex')} > /unique.txt\n`);
  const ref = `${REGISTRY}/${uniqueRepo('engine')}:1`;
  const env = { MLBUILD_STORE: join(dir, 'store'), MLBUILD_CACHE_DIR: join(dir, 'cache'), ...access.env };

  const built = await runCli(['--json', 'build', ...(access.buildArgs ?? []), '--key', keys.key, '-t', ref, '--push', '--network', 'host', ctx], { env });
  expect(built.code, built.stderr).toBe(0);
  const report = JSON.parse(built.stdout) as { status: string; imageId: string; published: { pushed: Array<{ digest: string }> } };
  expect(report.status).toBe('ok');
  const pushedDigest = report.published.pushed[0].digest;
  // The attestation is bound to the manifest the registry holds under the tag, whatever the engine reports.
  expect(pushedDigest).toBe(await registryDigest(ref));
  expect(await engineImageId(access, ref)).toBe(report.imageId);

  const sbom = await runCli(['sbom', `docker:${ref}`], { env });
  expect(sbom.code, sbom.stderr).toBe(0);
  const bom = JSON.parse(sbom.stdout) as { components?: Array<{ purl?: string }> };
  const sbomComponents = (bom.components ?? []).map((c) => c.purl ?? '').filter(Boolean);
  expect(sbomComponents).toContain('pkg:npm/engine-probe@1.2.3');

  const removed = await docker(['image', 'rm', ref], { env: access.env });
  expect(removed.code, removed.stderr).toBe(0);
  expect(await engineImageId(access, ref)).toBeUndefined();
  const pulled = await runCli(['pull', '--key', keys.pub, ref], { env });
  expect(pulled.code, pulled.stderr).toBe(0);
  expect(pulled.stdout.trim().split('\n').pop()).toBe(pushedDigest);
  expect(await engineImageId(access, ref)).toBe(report.imageId);
  return { ref, imageId: report.imageId, pushedDigest, sbomComponents };
}
