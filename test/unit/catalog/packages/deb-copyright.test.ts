import { describe, expect, it } from 'vitest';
import { parseDebCopyright } from '../../../../src/catalog/packages/deb-copyright.js';
import { classifierLicense, toSpdx } from '../../../../src/catalog/packages/licenses.js';
import { GLIBC_COPYRIGHT } from './dpkg-fixtures.js';

describe('parseDebCopyright', () => {
  it('collects distinct License names of Files paragraphs, mapped to SPDX', () => {
    expect(parseDebCopyright(GLIBC_COPYRIGHT)).toEqual(['LGPL-2.1-or-later', 'BSD-3-Clause', 'GPL-2.0-or-later', 'MIT', 'public-domain']);
  });

  it('splits and/or/comma expressions and keeps exceptions whole', () => {
    const text = `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/

Files: *
Copyright: x
License: GPL-3+ with Bison exception

Files: lib/*
Copyright: y
License: BSD-4-clause-UC and MIT-like, or Apache-2.0

Files: a/*
Copyright: z
License: GPL-2
`;
    expect(parseDebCopyright(text)).toEqual(['GPL-3+ with Bison exception', 'BSD-4-clause-UC', 'MIT-like', 'Apache-2.0', 'GPL-2.0-only']);
  });

  it('returns nothing for a free-form copyright file', () => {
    expect(parseDebCopyright('This is Debian prepackaged version of foo.\n\nLicense: GPL\n')).toEqual([]);
  });
});

describe('license names', () => {
  it.each([
    ['GPL-2+', 'GPL-2.0-or-later'],
    ['GPL-2', 'GPL-2.0-only'],
    ['LGPL-2.1+', 'LGPL-2.1-or-later'],
    ['LGPL-3', 'LGPL-3.0-only'],
    ['AGPL-3+', 'AGPL-3.0-or-later'],
    ['GFDL-1.3+', 'GFDL-1.3-or-later'],
    ['BSD-3-clause', 'BSD-3-Clause'],
    ['Expat', 'MIT'],
    ['MIT', 'MIT'],
    ['Apache-2.0', 'Apache-2.0'],
    ['public-domain', 'public-domain'],
    ['Artistic', 'Artistic'],
  ])('%s → %s', (name, want) => {
    expect(toSpdx(name)).toBe(want);
  });

  it.each([
    ['License :: OSI Approved :: MIT License', 'MIT'],
    ['License :: OSI Approved :: GNU General Public License v2 or later (GPLv2+)', 'GPL-2.0-or-later'],
    ['License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)', 'LGPL-3.0-only'],
    ['License :: OSI Approved :: BSD License', 'BSD License'],
    ['License :: OSI Approved', undefined],
    ['Programming Language :: Python :: 3', undefined],
  ])('classifier %s → %s', (classifier, want) => {
    expect(classifierLicense(classifier)).toBe(want);
  });
});
