// The referrer manifest layout (cosign v3 / GitHub): empty config, one bundle layer, subject, annotations.
import { describe, expect, it } from 'vitest';
import { sha256Digest } from '../../../src/core/digest.js';
import { buildReferrerManifest, EMPTY_BLOB, EMPTY_DESCRIPTOR } from '../../../src/pipeline/referrer.js';
import { BUNDLE_ARTIFACT_TYPES } from '../../../src/pipeline/image-referrers.js';

const subject = { mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest: sha256Digest('image'), size: 734, annotations: { dropped: 'yes' } };

describe('buildReferrerManifest', () => {
  it('lays out the bundle as an OCI 1.1 referrer of the image manifest', () => {
    const bundle = Buffer.from('{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}');
    const r = buildReferrerManifest(subject, bundle, 'https://cyclonedx.org/bom', new Date('2025-01-02T03:04:05.678Z'));
    expect(JSON.parse(r.bytes.toString())).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      config: {
        mediaType: 'application/vnd.oci.empty.v1+json',
        digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
        size: 2,
        artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      },
      layers: [{ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', digest: sha256Digest(bundle), size: bundle.length }],
      subject: { mediaType: subject.mediaType, digest: subject.digest, size: 734 },
      annotations: {
        'dev.sigstore.bundle.content': 'dsse-envelope',
        'dev.sigstore.bundle.predicateType': 'https://cyclonedx.org/bom',
        'org.opencontainers.image.created': '2025-01-02T03:04:05Z',
      },
    });
    expect(r.digest).toBe(sha256Digest(r.bytes));
  });

  it('uses the real digest of the empty blob', () => {
    expect(sha256Digest(EMPTY_BLOB)).toBe(EMPTY_DESCRIPTOR.digest);
    expect(EMPTY_BLOB.length).toBe(EMPTY_DESCRIPTOR.size);
  });

  it('accepts the bundle media types cosign and GitHub write', () => {
    expect(BUNDLE_ARTIFACT_TYPES).toContain('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(BUNDLE_ARTIFACT_TYPES).toContain('application/vnd.dev.sigstore.bundle+json;version=0.3');
  });
});
