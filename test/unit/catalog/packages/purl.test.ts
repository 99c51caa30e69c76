import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { huggingfacePurl } from '../../../../src/catalog/ml/model.js';
import { purl, purlEncode, type PurlParts } from '../../../../src/catalog/packages/purl.js';

// purl-spec's own build cases for every type mlbuild writes (deb, pypi, npm, apk, huggingface, generic) plus docker;
// the file names its source commit.
const SPEC = JSON.parse(readFileSync(new URL('./purl-spec-build-cases.json', import.meta.url), 'utf8')) as {
  cases: { description: string; input: PurlParts; expected_output: string }[];
};

describe('purl', () => {
  it.each(SPEC.cases.map((c) => [c.description, c.input, c.expected_output] as const))('purl-spec: %s (%j)', (_d, input, want) => {
    expect(purl(input)).toBe(want);
  });

  it('keeps the deb epoch colon unencoded, as purl-spec says', () => {
    const p = purl({ type: 'deb', namespace: 'debian', name: 'bsdutils', version: '1:2.38.1-5+deb12u3', qualifiers: { arch: 'amd64' } });
    expect(p).toBe('pkg:deb/debian/bsdutils@1:2.38.1-5%2Bdeb12u3?arch=amd64');
  });

  it('writes huggingface purls through the same builder (repository_url colon unencoded, slashes encoded)', () => {
    const id = { name: 'microsoft/deberta-v3-base', namespace: 'microsoft', repoName: 'deberta-v3-base', commit: '559062AD13D311B87B2C455E67DCD5F1C8F65111' };
    expect(huggingfacePurl(id)).toBe('pkg:huggingface/microsoft/deberta-v3-base@559062ad13d311b87b2c455e67dcd5f1c8f65111');
    expect(huggingfacePurl({ ...id, host: 'hub-ci.huggingface.co', url: 'https://hub-ci.huggingface.co/microsoft/deberta-v3-base' })).toBe(
      'pkg:huggingface/microsoft/deberta-v3-base@559062ad13d311b87b2c455e67dcd5f1c8f65111?repository_url=https:%2F%2Fhub-ci.huggingface.co',
    );
  });

  // Cases from the purl-spec test suite (canonical forms).
  it.each([
    [{ type: 'npm', namespace: '@angular', name: 'animation', version: '12.3.1' }, 'pkg:npm/%40angular/animation@12.3.1'],
    [{ type: 'maven', namespace: 'org.apache.commons', name: 'io', version: '1.3.4' }, 'pkg:maven/org.apache.commons/io@1.3.4'],
    [{ type: 'pypi', name: 'Django_package', version: '1.11.1.dev1' }, 'pkg:pypi/django-package@1.11.1.dev1'],
    [
      { type: 'deb', namespace: 'debian', name: 'curl', version: '7.50.3-1', qualifiers: { distro: 'jessie', arch: 'i386' } },
      'pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie',
    ],
    [
      { type: 'rpm', namespace: 'fedora', name: 'curl', version: '7.50.3-1.fc25', qualifiers: { distro: 'fedora-25', arch: 'i386' } },
      'pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386&distro=fedora-25',
    ],
    [
      { type: 'docker', namespace: 'customer', name: 'dockerimage', version: 'sha256:244fd47e07d10', qualifiers: { repository_url: 'gcr.io' } },
      'pkg:docker/customer/dockerimage@sha256:244fd47e07d10?repository_url=gcr.io',
    ],
    [{ type: 'GitHub', namespace: 'Package-URL', name: 'purl-spec', version: '244fd47e07d1004f0aed9c' }, 'pkg:github/package-url/purl-spec@244fd47e07d1004f0aed9c'],
    [{ type: 'gem', name: 'ruby-advisory-db-check', version: '0.12.4' }, 'pkg:gem/ruby-advisory-db-check@0.12.4'],
    [
      { type: 'golang', namespace: 'google.golang.org', name: 'genproto', subpath: 'googleapis/api/annotations' },
      'pkg:golang/google.golang.org/genproto#googleapis/api/annotations',
    ],
    [{ type: 'nuget', name: 'EnterpriseLibrary.Common', version: '6.0.1304' }, 'pkg:nuget/EnterpriseLibrary.Common@6.0.1304'],
  ])('builds %j', (parts, want) => {
    expect(purl(parts)).toBe(want);
  });

  it('keeps epoch colons, encodes plus signs and reserved characters in versions', () => {
    expect(purl({ type: 'deb', namespace: 'debian', name: 'libc6', version: '2.36-9+deb12u4', qualifiers: { arch: 'amd64', distro: 'debian-12' } })).toBe(
      'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12',
    );
    expect(purl({ type: 'deb', namespace: 'debian', name: 'bsdutils', version: '1:2.38.1-5+b1' })).toBe('pkg:deb/debian/bsdutils@1:2.38.1-5%2Bb1');
    expect(purl({ type: 'deb', namespace: 'debian', name: 'libstdc++6', version: '12.2.0-14' })).toBe('pkg:deb/debian/libstdc%2B%2B6@12.2.0-14');
    expect(purlEncode("a b/c?d#e@f!'()*~._-:")).toBe('a%20b%2Fc%3Fd%23e%40f%21%27%28%29%2A~._-:');
  });

  it('drops empty qualifiers and empty or dot subpath segments, lowercases qualifier keys', () => {
    expect(purl({ type: 'apk', namespace: 'Alpine', name: 'musl', version: '1.2.4-r2', qualifiers: { distro: undefined, Arch: 'x86_64', x: '' } })).toBe(
      'pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64',
    );
    expect(purl({ type: 'generic', name: 'x', subpath: '/./a/../b/' })).toBe('pkg:generic/x#a/b');
    expect(purl({ type: 'generic', name: 'x', qualifiers: { url: 'https://e.x/a b' } })).toBe('pkg:generic/x?url=https:%2F%2Fe.x%2Fa%20b');
  });

  it('rejects invalid types, names and qualifier keys', () => {
    expect(() => purl({ type: '9x', name: 'a' })).toThrow(/type/);
    expect(() => purl({ type: 'npm', name: '' })).toThrow(/name/);
    expect(() => purl({ type: 'npm', name: 'a', qualifiers: { 'a b': 'x' } })).toThrow(/qualifier/);
  });
});
