// Shared fixtures of the image attestation tests: key pairs, small images built from the busybox base and pushed.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateKeyPair } from '../../../src/attest/index.js';
import { BASE_IMAGES, buildImage, pushImage, REGISTRY, runCli, runCliJson, uniqueRepo, type PushedImage } from '../../helpers/index.js';

/** A key pair written as PEM files. */
export interface KeyFiles {
  key: string;
  pub: string;
}

/** Writes an unencrypted P-256 key pair under `dir/name.{key,pub}`. */
export async function writeKeys(dir: string, name: string): Promise<KeyFiles> {
  await mkdir(dir, { recursive: true });
  const pair = generateKeyPair();
  const key = join(dir, `${name}.key`);
  const pub = join(dir, `${name}.pub`);
  await writeFile(key, pair.privateKeyPem, { mode: 0o600 });
  await writeFile(pub, pair.publicKeyPem);
  return { key, pub };
}

/** Builds a one-step image from the busybox base with unique content, tagged `tag`; returns its image ID. */
export async function buildUnique(dir: string, tag: string): Promise<string> {
  const ctx = join(dir, `ctx-${randomBytes(4).toString('hex')}`);
  await mkdir(ctx, { recursive: true });
  await writeFile(join(ctx, 'Dockerfile'), `FROM ${BASE_IMAGES.busybox}\nRUN echo ${randomBytes(8).toString('hex')} > /unique.txt\n`);
  const r = await buildImage(ctx, tag);
  if (!r.imageId) throw new Error(`build of ${tag} failed: ${r.stderr}`);
  return r.imageId;
}

/** Builds and pushes a unique image to `registry` as `repo:tag` (a fresh repository by default). */
export async function pushedImage(dir: string, opts: { registry?: string; repo?: string; tag?: string; dockerConfig?: string } = {}): Promise<PushedImage & { imageId: string; repository: string }> {
  const repository = `${opts.registry ?? REGISTRY}/${opts.repo ?? uniqueRepo('img')}`;
  const ref = `${repository}:${opts.tag ?? '1'}`;
  const imageId = await buildUnique(dir, ref);
  const pushed = await pushImage(ref, ref, { dockerConfig: opts.dockerConfig });
  return { ...pushed, imageId, repository };
}

/** The summary `attest image --json` prints. */
export interface AttestSummary {
  subject: { kind: string; name: string; digest: string };
  bundleDigest: string;
  referrer?: { digest: string; subject: string; artifactType: string };
}

/** The report `verify image --json` prints (the fields the tests read). */
export interface VerifyReport {
  ok: boolean;
  digest: string;
  configDigest?: string;
  attestations: { referrer: string; subject: string; created?: string }[];
  referrers: { referrer: string; status: string }[];
  findings: { kind: string; fatal: boolean; referrer?: string }[];
  pulled?: string;
  imageId?: string;
  tagged?: string;
}

/** Runs `attest image --json`; the store goes to `store`. */
export function attest(ref: string, keys: KeyFiles, store: string, extra: string[] = [], env?: NodeJS.ProcessEnv) {
  return runCliJson<AttestSummary>(['attest', 'image', ref, '--key', keys.key, '--store', store, ...extra], { env });
}

/** Runs `verify image --json` with trusted public keys. */
export function verify(ref: string, pubs: string[], extra: string[] = [], env?: NodeJS.ProcessEnv) {
  return runCliJson<VerifyReport>(['verify', 'image', ref, ...pubs.flatMap((p) => ['--key', p]), ...extra], { env });
}

/** Runs any CLI command, for exit-code checks. */
export { runCli };

/** Reads a JSON file. */
export async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}
