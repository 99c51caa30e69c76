// The `pull` workflow: verify the image, then pull exactly the verified digest (never the tag) and tag it locally.
import type { DockerEngine } from '../docker/index.js';
import { pullByDigest } from './engine-pull.js';
import { imageReference, verifyImage, type ImageVerifyReport, type VerifyImageOptions } from './image-verify.js';

/** Options of pullVerified: those of verifyImage, plus the engine and the docker config folder for credentials. */
export interface PullOptions extends VerifyImageOptions {
  /** The engine to pull into (made only once the image has passed). */
  engine: () => DockerEngine;
  dockerConfigDir?: string;
}

/** What pullVerified did: the verification report and, when it passed, what was pulled and tagged. */
export interface PullReport extends ImageVerifyReport {
  pulled?: string;
  imageId?: string;
  tagged?: string;
}

/** Verifies REF; only when it passes, pulls `REPO@DIGEST` of the verified digest and tags it as REF. */
export async function pullVerified(refText: string, opts: PullOptions): Promise<PullReport> {
  const report: PullReport = await verifyImage(refText, opts);
  if (!report.ok) return report;
  const ref = imageReference(refText);
  const engine = opts.engine();
  opts.events?.({ type: 'step', name: 'pulling', detail: `${ref.repository}@${report.digest}` });
  const got = await pullByDigest(engine, ref, report.digest, { configDigest: report.configDigest, platform: opts.platform, dockerConfigDir: opts.dockerConfigDir ?? opts.registry?.dockerConfigDir });
  report.pulled = got.pulled;
  report.imageId = got.imageId;
  if (ref.tag) {
    await engine.tagImage(got.pulled, ref.repository, ref.tag);
    report.tagged = `${ref.repository}:${ref.tag}`;
  }
  return report;
}
