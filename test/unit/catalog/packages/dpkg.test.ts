import { describe, expect, it } from 'vitest';
import { dpkgCataloger } from '../../../../src/catalog/packages/dpkg.js';
import { isInstalled, parseDpkgStatus } from '../../../../src/catalog/packages/dpkg-status.js';
import { osReleaseCataloger } from '../../../../src/catalog/packages/os-release.js';
import { GLIBC_COPYRIGHT, STATUS } from './dpkg-fixtures.js';
import { memoryView, runCatalogers } from './memory-view.js';

const OS = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n';
const cats = [osReleaseCataloger, dpkgCataloger];

describe('parseDpkgStatus', () => {
  it('keeps installed packages only, with exact versions and source versions', () => {
    const { records, problems } = parseDpkgStatus(STATUS, { requireStatus: true });
    expect(problems).toEqual([]);
    expect(records.map((r) => `${r.name}\t${r.version}`)).toEqual([
      'libc6\t2.36-9+deb12u4',
      'bsdutils\t1:2.38.1-5+b1',
      'tzdata\t2024a-0+deb12u1',
      'base-files\t12.4+deb12u5',
    ]);
    expect(records[0]).toEqual({
      name: 'libc6',
      version: '2.36-9+deb12u4',
      arch: 'amd64',
      source: 'glibc',
      maintainer: 'GNU Libc Maintainers <debian-glibc@lists.debian.org>',
      description: 'GNU C Library: Shared libraries',
      conffiles: [{ path: '/etc/ld.so.conf.d/x86_64-linux-gnu.conf', md5: 'd09e1ee2a0e1cd8a4e7d83c8a3e0e1f6' }],
    });
    expect(records[1]).toMatchObject({ source: 'util-linux', sourceVersion: '2.38.1-5' });
  });

  it('reads statuses by their three words', () => {
    expect(isInstalled('install ok installed')).toBe(true);
    expect(isInstalled('hold ok installed')).toBe(true);
    expect(isInstalled('deinstall ok config-files')).toBe(false);
    expect(isInstalled('install ok unpacked')).toBe(false);
    expect(isInstalled('purge ok not-installed')).toBe(false);
  });

  it('drops a paragraph cut by the cap and reports installed entries without a version', () => {
    const cut = STATUS.slice(0, STATUS.indexOf('Version: 12.4'));
    expect(parseDpkgStatus(cut, { requireStatus: true, truncated: true }).records.map((r) => r.name)).toEqual(['libc6', 'bsdutils', 'tzdata']);
    const bad = parseDpkgStatus('Package: x\nStatus: install ok installed\n', { requireStatus: true });
    expect(bad.records).toEqual([]);
    expect(bad.problems).toEqual(['installed dpkg entry without Version (x)']);
  });
});

describe('dpkgCataloger', () => {
  it('produces packages with purls, install layers and DEP-5 licenses', () => {
    const view = memoryView(
      [
        { path: 'usr/lib/os-release', content: OS, layer: 0 },
        { path: 'etc/os-release', link: '../usr/lib/os-release', layer: 0 },
        { path: 'var/lib/dpkg/status', content: STATUS, layer: 3 },
        { path: 'var/lib/dpkg/info/libc6:amd64.list', content: '/.\n/lib\n', layer: 1 },
        { path: 'var/lib/dpkg/info/bsdutils.list', content: '/.\n/bin\n', layer: 0 },
        { path: 'var/lib/dpkg/info/oldpkg.list', content: '', layer: 2 },
        { path: 'usr/share/doc/libc6/copyright', content: GLIBC_COPYRIGHT, layer: 1 },
        { path: 'usr/share/doc/tzdata', link: 'libc6', layer: 2 },
      ],
      cats,
    );
    const out = runCatalogers(view, cats);
    expect(out.unknowns).toEqual([]);
    expect(out.packages.map((p) => `${p.name}\t${p.version}`).sort()).toEqual(
      ['base-files\t12.4+deb12u5', 'bsdutils\t1:2.38.1-5+b1', 'libc6\t2.36-9+deb12u4', 'tzdata\t2024a-0+deb12u1'],
    );
    const [libc6, bsdutils, tzdata, baseFiles] = out.packages;
    expect(libc6).toEqual({
      ecosystem: 'deb',
      name: 'libc6',
      version: '2.36-9+deb12u4',
      purl: 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12',
      licenses: ['LGPL-2.1-or-later', 'BSD-3-Clause', 'GPL-2.0-or-later', 'MIT', 'public-domain'],
      location: { path: 'var/lib/dpkg/status', layer: 1 },
      arch: 'amd64',
      description: 'GNU C Library: Shared libraries',
      supplier: 'GNU Libc Maintainers <debian-glibc@lists.debian.org>',
    });
    expect(bsdutils?.purl).toBe('pkg:deb/debian/bsdutils@1:2.38.1-5%2Bb1?arch=amd64&distro=debian-12');
    expect(bsdutils?.location).toEqual({ path: 'var/lib/dpkg/status', layer: 0 });
    expect(bsdutils?.licenses).toEqual([]);
    // tzdata's doc folder is a symlink to libc6's; it has no .list, so it keeps the status file's layer.
    expect(tzdata?.licenses).toContain('LGPL-2.1-or-later');
    expect(tzdata?.location.layer).toBe(3);
    expect(tzdata?.purl).toBe('pkg:deb/debian/tzdata@2024a-0%2Bdeb12u1?arch=all&distro=debian-12');
    expect(baseFiles?.location.layer).toBe(3);
  });

  it('reads distroless status.d files, one package each, skipping md5sums', () => {
    const view = memoryView(
      [
        { path: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
        { path: 'var/lib/dpkg/status.d/base-files', content: 'Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\nMaintainer: Santiago Vila <sanvila@debian.org>\n', layer: 0 },
        { path: 'var/lib/dpkg/status.d/base-files.md5sums', content: 'abc  etc/debian_version\n', layer: 0 },
        { path: 'var/lib/dpkg/status.d/tzdata', content: 'Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n', layer: 1 },
        { path: 'var/lib/dpkg/status.d/libssl3', content: 'Package: libssl3\nVersion: 3.0.11-1~deb12u2\nArchitecture: amd64\nSource: openssl\n', layer: 2 },
      ],
      cats,
    );
    const out = runCatalogers(view, cats);
    expect(out.unknowns).toEqual([]);
    expect(out.packages.map((p) => [p.name, p.version, p.location.path, p.location.layer])).toEqual([
      ['base-files', '12.4+deb12u5', 'var/lib/dpkg/status.d/base-files', 0],
      ['libssl3', '3.0.11-1~deb12u2', 'var/lib/dpkg/status.d/libssl3', 2],
      ['tzdata', '2024a-0+deb12u1', 'var/lib/dpkg/status.d/tzdata', 1],
    ]);
    expect(out.packages[1]?.purl).toBe('pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12');
  });

  it('reports a status file that was not captured', () => {
    const view = memoryView([{ path: 'var/lib/dpkg/status', content: STATUS }], []);
    const out = runCatalogers(view, [dpkgCataloger]);
    expect(out.packages).toEqual([]);
    expect(out.unknowns).toEqual([{ path: 'var/lib/dpkg/status', layer: 0, reason: 'dpkg database file was not captured' }]);
  });

  it('reads a status file cut by the cap up to its last whole paragraph and says so', () => {
    const view = memoryView([{ path: 'var/lib/dpkg/status', content: STATUS }], [dpkgCataloger]);
    const file = view.get('var/lib/dpkg/status');
    if (file === undefined) throw new Error('missing');
    file.facts = { kind: 'text', text: STATUS.slice(0, STATUS.indexOf('Installed-Size: 341')), truncated: true };
    const out = runCatalogers(view, [dpkgCataloger]);
    expect(out.packages.map((p) => p.name)).toEqual(['libc6', 'bsdutils', 'tzdata']);
    expect(out.unknowns).toHaveLength(1);
    expect(out.unknowns[0]?.reason).toMatch(/capture cap/);
  });

  it('keeps co-installed architectures apart, each with its own .list layer', () => {
    const para = (arch: string): string =>
      `Package: libc6\nStatus: install ok installed\nArchitecture: ${arch}\nMulti-Arch: same\nVersion: 2.36-9+deb12u4\n`;
    const view = memoryView(
      [
        { path: 'var/lib/dpkg/status', content: `${para('amd64')}\n${para('i386')}`, layer: 2 },
        { path: 'var/lib/dpkg/info/libc6:amd64.list', content: '', layer: 0 },
        { path: 'var/lib/dpkg/info/libc6:i386.list', content: '', layer: 1 },
      ],
      [dpkgCataloger],
    );
    const out = runCatalogers(view, [dpkgCataloger]);
    expect(out.packages.map((p) => [p.arch, p.location.layer, p.purl])).toEqual([
      ['amd64', 0, 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64'],
      ['i386', 1, 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=i386'],
    ]);
  });

  it('uses the ubuntu namespace and no distro qualifier without a version', () => {
    const view = memoryView(
      [
        { path: 'etc/os-release', content: 'ID=ubuntu\n' },
        { path: 'var/lib/dpkg/status', content: 'Package: zlib1g\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1:1.2.13.dfsg-1ubuntu5\n' },
      ],
      [dpkgCataloger],
    );
    expect(runCatalogers(view, [dpkgCataloger]).packages[0]?.purl).toBe('pkg:deb/ubuntu/zlib1g@1:1.2.13.dfsg-1ubuntu5?arch=amd64');
  });
});
