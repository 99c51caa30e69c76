import { describe, expect, it } from 'vitest';
import { normalizePythonName, parsePythonMetadata, pythonCataloger } from '../../../../src/catalog/packages/python.js';
import { memoryView, runCatalogers } from './memory-view.js';

const SP = 'usr/local/lib/python3.11/site-packages';
const DP = 'usr/lib/python3/dist-packages';

const REQUESTS = `Metadata-Version: 2.1
Name: requests
Version: 2.31.0
Summary: Python HTTP for Humans.
Home-page: https://requests.readthedocs.io
Author: Kenneth Reitz
Author-email: me@kennethreitz.org
License: Apache 2.0
Classifier: Development Status :: 5 - Production/Stable
Classifier: License :: OSI Approved :: Apache Software License
Requires-Python: >=3.7
Description-Content-Type: text/markdown

# Requests

License: this body line is not a header
`;

const TORCH = `Metadata-Version: 2.4
Name: Torch_Nightly.Build
Version: 2.1.0+cpu
Summary: Tensors and Dynamic neural networks
License-Expression: BSD-3-Clause
License: BSD-3-Clause
 Copyright (c) 2016- Facebook, Inc
 All rights reserved.
Classifier: License :: OSI Approved :: BSD License
`;

const CLASSIFIED = `Metadata-Version: 2.1
Name: six
Version: 1.16.0
License: UNKNOWN
Classifier: License :: OSI Approved :: MIT License
Classifier: Programming Language :: Python :: 3
`;

const EGG = `Metadata-Version: 1.2
Name: PyYAML
Version: 6.0.1
Summary: YAML parser and emitter for Python
Author: Kirill Simonov
License: MIT
`;

describe('python metadata', () => {
  it('normalizes names per PEP 503', () => {
    expect(normalizePythonName('Torch_Nightly.Build')).toBe('torch-nightly-build');
    expect(normalizePythonName('zope.interface')).toBe('zope-interface');
    expect(normalizePythonName('a__-.b')).toBe('a-b');
  });

  it('prefers License-Expression, then a short License field, then classifiers', () => {
    expect(parsePythonMetadata(TORCH)?.licenses).toEqual(['BSD-3-Clause']);
    expect(parsePythonMetadata(REQUESTS)?.licenses).toEqual(['Apache-2.0']);
    expect(parsePythonMetadata(CLASSIFIED)?.licenses).toEqual(['MIT']);
    expect(parsePythonMetadata('Name: x\nVersion: 1\nLicense: Copyright (c) me\n all rights\n')?.licenses).toEqual([]);
    expect(parsePythonMetadata('Name: x\n')).toBeUndefined();
  });

  it('catalogs dist-info, egg-info files and egg-info folders, deduplicating per install folder', () => {
    const view = memoryView(
      [
        { path: `${SP}/requests-2.31.0.dist-info/METADATA`, content: REQUESTS, layer: 2 },
        { path: `${SP}/requests-2.31.0.dist-info/RECORD`, content: 'x' },
        { path: `${SP}/Torch_Nightly.Build-2.1.0+cpu.dist-info/METADATA`, content: TORCH, layer: 3 },
        { path: `${DP}/six-1.16.0.egg-info`, content: CLASSIFIED, layer: 1 },
        { path: `${DP}/PyYAML-6.0.1.egg-info/PKG-INFO`, content: EGG, layer: 1 },
        { path: `${DP}/pyyaml-6.0.1.dist-info/METADATA`, content: EGG, layer: 1 },
        { path: `${SP}/broken-1.0.dist-info/METADATA`, content: 'Metadata-Version: 2.1\nSummary: no name\n', layer: 2 },
        { path: `${SP}/requests/setup/METADATA`, content: REQUESTS },
      ],
      [pythonCataloger],
    );
    const out = runCatalogers(view, [pythonCataloger]);
    expect(out.packages.map((p) => [p.purl, p.location.path, p.location.layer])).toEqual([
      ['pkg:pypi/pyyaml@6.0.1', `${DP}/PyYAML-6.0.1.egg-info/PKG-INFO`, 1],
      ['pkg:pypi/six@1.16.0', `${DP}/six-1.16.0.egg-info`, 1],
      ['pkg:pypi/torch-nightly-build@2.1.0%2Bcpu', `${SP}/Torch_Nightly.Build-2.1.0+cpu.dist-info/METADATA`, 3],
      ['pkg:pypi/requests@2.31.0', `${SP}/requests-2.31.0.dist-info/METADATA`, 2],
    ]);
    expect(out.packages[3]).toMatchObject({
      ecosystem: 'pypi',
      name: 'requests',
      version: '2.31.0',
      licenses: ['Apache-2.0'],
      description: 'Python HTTP for Humans.',
      supplier: 'Kenneth Reitz',
    });
    expect(out.unknowns).toEqual([
      { path: `${SP}/broken-1.0.dist-info/METADATA`, layer: 2, reason: 'python metadata without Name or Version' },
    ]);
  });
});
