import { describe, expect, it } from 'vitest';
import { apkCataloger, parseApkInstalled } from '../../../../src/catalog/packages/apk.js';
import { memoryView, runCatalogers } from './memory-view.js';

const INSTALLED = `C:Q1p8DS8XjNFDtLBl1bB4uWjQJ7G8Q=
P:musl
V:1.2.4_git20230717-r4
A:x86_64
S:407697
I:667648
T:the musl c library (libc) implementation
U:https://musl.libc.org/
L:MIT
o:musl
m:Timo Teräs <timo.teras@iki.fi>
t:1705420006
c:8ee6e3e46bc6d3d2d6b0e0f2a4a8b2f94b2ea7e0
D:
F:lib
R:ld-musl-x86_64.so.1
a:0:0:755
Z:Q1vGHu8rEwyUC4YxH4Fk9V6ZZuAks=
R:libc.musl-x86_64.so.1

C:Q1wWIK7dS8ZLDm3jc0bZ1Al4mbkXo=
P:busybox
V:1.36.1-r15
A:x86_64
T:Size optimized toolbox of many common UNIX utilities
L:GPL-2.0-only
o:busybox
m:Sören Tempel <soeren+alpine@soeren-tempel.net>
F:bin
R:busybox

C:Q1xyz=
P:ca-certificates-bundle
V:20240226-r0
A:x86_64
L:MPL-2.0 AND MIT
o:ca-certificates
`;

describe('apk', () => {
  it('parses records of the installed database', () => {
    const { records, problems } = parseApkInstalled(INSTALLED);
    expect(problems).toEqual([]);
    expect(records).toEqual([
      {
        name: 'musl',
        version: '1.2.4_git20230717-r4',
        arch: 'x86_64',
        license: 'MIT',
        origin: 'musl',
        maintainer: 'Timo Teräs <timo.teras@iki.fi>',
        description: 'the musl c library (libc) implementation',
      },
      expect.objectContaining({ name: 'busybox', version: '1.36.1-r15', origin: 'busybox' }),
      expect.objectContaining({ name: 'ca-certificates-bundle', license: 'MPL-2.0 AND MIT', origin: 'ca-certificates' }),
    ]);
    expect(parseApkInstalled('P:x\n\nV:1\n').problems).toEqual(['apk database record without V: (x)', 'apk database record without P:']);
  });

  it('catalogs packages with alpine purls', () => {
    const view = memoryView(
      [
        { path: 'etc/os-release', content: 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n' },
        { path: 'lib/apk/db/installed', content: INSTALLED, layer: 2 },
      ],
      [apkCataloger],
    );
    const out = runCatalogers(view, [apkCataloger]);
    expect(out.unknowns).toEqual([]);
    expect(out.packages.map((p) => p.purl)).toEqual([
      'pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1',
      'pkg:apk/alpine/busybox@1.36.1-r15?arch=x86_64&distro=alpine-3.19.1',
      'pkg:apk/alpine/ca-certificates-bundle@20240226-r0?arch=x86_64&distro=alpine-3.19.1',
    ]);
    expect(out.packages[0]).toMatchObject({
      ecosystem: 'apk',
      licenses: ['MIT'],
      location: { path: 'lib/apk/db/installed', layer: 2 },
      supplier: 'Timo Teräs <timo.teras@iki.fi>',
    });
  });
});
