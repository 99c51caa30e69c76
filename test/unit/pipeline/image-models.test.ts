// Models of a verified SBOM matched with signed model attestations (as referrers), and the differences reported.
import { describe, expect, it } from 'vitest';
import { buildModelStatement, generateKeyPair, KeySigner, verifyBundle } from '../../../src/attest/index.js';
import { sha256Hex } from '../../../src/core/digest.js';
import type { ImageFinding } from '../../../src/pipeline/image-findings.js';
import { matchModels, sbomModels } from '../../../src/pipeline/image-models.js';
import type { TrustedStatement } from '../../../src/pipeline/image-referrers.js';

const files = [
  { path: 'config.json', digest: sha256Hex('config') },
  { path: 'model.safetensors', digest: sha256Hex('weights') },
];

function sbom(weights = sha256Hex('weights')) {
  const file = (name: string, hex: string) => ({ type: 'file', name: `/models/bert/${name}`, hashes: [{ alg: 'SHA-256', content: hex }], properties: [{ name: 'mlbuild:file:size', value: '10' }] });
  return {
    bomFormat: 'CycloneDX',
    components: [
      { type: 'library', name: 'busybox' },
      {
        type: 'machine-learning-model',
        name: 'bert',
        licenses: [{ license: { id: 'Apache-2.0' } }],
        properties: [{ name: 'mlbuild:model:path', value: '/models/bert' }],
        components: [file('config.json', sha256Hex('config')), file('model.safetensors', weights)],
      },
    ],
  };
}

async function trustedModel(): Promise<{ statement: TrustedStatement; pub: string }> {
  const pair = generateKeyPair();
  const st = buildModelStatement({ name: 'bert', files, facts: { license: 'mit' } });
  const bundle = await new KeySigner(pair.privateKeyPem).signStatement(st);
  const v = verifyBundle(bundle, { keys: [pair.publicKeyPem] });
  const check = { referrer: `sha256:${'a'.repeat(64)}` as const, subject: `sha256:${'b'.repeat(64)}` as const, status: 'model-attestation' as const };
  return { statement: { check, statement: v.statement, signer: v.signer }, pub: pair.publicKeyPem };
}

describe('sbomModels', () => {
  it('reads model components with files relative to the model folder', () => {
    const [m] = sbomModels(sbom());
    expect(m).toMatchObject({ name: 'bert', path: 'models/bert', license: 'Apache-2.0' });
    expect(m.files.map((f) => f.path)).toEqual(['config.json', 'model.safetensors']);
  });
});

describe('matchModels', () => {
  it('matches a model attestation attached to the image, taking the attested facts', async () => {
    const { statement, pub } = await trustedModel();
    const findings: ImageFinding[] = [];
    const [m] = await matchModels(sbomModels(sbom()), [statement], { trust: { keys: [pub] }, notes: [], findings });
    expect(findings).toEqual([]);
    expect(m.policy).toMatchObject({ attested: true, license: 'mit', formats: ['safetensors'] });
  });

  it('reports changed weights and leaves the model unattested', async () => {
    const { statement, pub } = await trustedModel();
    const findings: ImageFinding[] = [];
    const [m] = await matchModels(sbomModels(sbom(sha256Hex('other weights'))), [statement], { trust: { keys: [pub] }, notes: [], findings });
    expect(m.policy.attested).toBe(false);
    expect(m.policy.license).toBe('Apache-2.0');
    expect(findings).toEqual([expect.objectContaining({ kind: 'model-mismatch', path: 'model.safetensors', fatal: true })]);
  });
});
