// --admission-config: strict YAML like the policy loader (unknown keys name file:line:col and the key).
import { describe, expect, it } from 'vitest';
import { isMlbuildError } from '../../../src/core/index.js';
import { parseAdmissionConfig } from '../../../src/server/admission/index.js';

function failure(text: string): { code?: string; message: string } {
  try {
    parseAdmissionConfig(text, 'adm.yaml');
  } catch (e) {
    return { code: isMlbuildError(e) ? e.code : undefined, message: (e as Error).message };
  }
  throw new Error('no failure');
}

describe('parseAdmissionConfig', () => {
  it('reads namespaces, image globs and the deadline', () => {
    const c = parseAdmissionConfig('version: 1\nexemptNamespaces: [kube-system, mlbuild]\nexemptImages: ["registry.k8s.io/**"]\ndeadline: 1500ms\n', 'adm.yaml');
    expect(c).toMatchObject({ exemptNamespaces: ['kube-system', 'mlbuild'], exemptImages: ['registry.k8s.io/**'], deadlineMs: 1500 });
    expect(parseAdmissionConfig('deadline: 2\n', 'a.yaml').deadlineMs).toBe(2000);
    expect(parseAdmissionConfig('', 'a.yaml').deadlineMs).toBe(5000);
  });

  it('refuses unknown keys and bad values with file:line:col and the key (exit 2)', () => {
    const unknown = failure('exemptNamespaces: [a]\nexemptNamespace: [b]\n');
    expect(unknown.code).toBe('BAD_POLICY');
    expect(unknown.message).toMatch(/^adm\.yaml:2:1: exemptNamespace: unknown key/);
    expect(failure('deadline: 60s\n').message).toMatch(/^adm\.yaml:1:11: deadline:/);
    expect(failure('exemptNamespaces: [Bad_NS]\n').message).toMatch(/exemptNamespaces\[0\]/);
    expect(failure('exemptImages: nope\n').message).toMatch(/exemptImages: must be a list/);
    expect(failure('a: [\n').code).toBe('BAD_POLICY');
  });
});
