// Generated layers for the file-ownership tests: a tiny dpkg system, a pip-installed distribution, npm and apk.
import { createHash } from 'node:crypto';
import type { TarEntry } from '../../../helpers/tar-writer.js';

/** Hex md5 of text. */
export const md5 = (s: string | Buffer): string => createHash('md5').update(s).digest('hex');
/** RECORD-style digest: sha256, urlsafe base64 without padding. */
export const recordHash = (s: string | Buffer): string => `sha256=${createHash('sha256').update(s).digest('base64url')}`;

export const TOOL = 'ELF tool v1\n';
export const CONF = 'setting=1\n';
export const BASH_SH = '#!bash sh\n';
export const DASH_SH = '#!dash sh\n';
export const INIT_PY = 'VERSION = "1.0"\n';

const status = (name: string, extra = ''): string =>
  `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0-1\n${extra}Description: ${name}\n`;

/** A merged-usr Debian-like base: dpkg database, md5sums, a conffile, a diversion, generated files nobody lists. */
export function debianBase(): TarEntry[] {
  return [
    { name: 'bin', type: 'symlink', linkname: 'usr/bin' },
    { name: 'usr/bin/tool', content: TOOL, mode: 0o755 },
    { name: 'usr/bin/sh', content: DASH_SH, mode: 0o755 },
    { name: 'usr/bin/sh.distrib', content: BASH_SH, mode: 0o755 },
    { name: 'etc/demo.conf', content: CONF },
    { name: 'etc/hostname', content: 'box\n' },
    { name: 'var/lib/dpkg/status', content: [status('demo', `Conffiles:\n /etc/demo.conf ${md5(CONF)}\n`), status('dash'), status('bash'), status('dpkg')].join('\n') },
    { name: 'var/lib/dpkg/diversions', content: '/bin/sh\n/bin/sh.distrib\ndash\n' },
    { name: 'var/lib/dpkg/info/demo:amd64.list', content: '/.\n/usr\n/usr/bin\n/bin/tool\n/etc/demo.conf\n' },
    { name: 'var/lib/dpkg/info/demo:amd64.md5sums', content: `${md5(TOOL)}  bin/tool\n` },
    { name: 'var/lib/dpkg/info/demo:amd64.postinst', content: '#!/bin/sh\n' },
    { name: 'var/lib/dpkg/info/dash.list', content: '/bin/sh\n' },
    { name: 'var/lib/dpkg/info/dash.md5sums', content: `${md5(DASH_SH)}  bin/sh\n` },
    { name: 'var/lib/dpkg/info/bash.list', content: '/bin/sh\n' },
    { name: 'var/lib/dpkg/info/bash.md5sums', content: `${md5(BASH_SH)}  bin/sh\n` },
  ];
}

/** A pip-installed distribution in site-packages with a RECORD (hashed rows, an unhashed .pyc and RECORD row, a script). */
export function pipLayer(): TarEntry[] {
  const site = 'opt/venv/lib/python3.11/site-packages';
  const meta = 'Metadata-Version: 2.1\nName: Demo_Pkg\nVersion: 1.0\n';
  const script = '#!python\nimport demo_pkg\n';
  const record = [
    `demo_pkg/__init__.py,${recordHash(INIT_PY)},${INIT_PY.length}`,
    'demo_pkg/__pycache__/__init__.cpython-311.pyc,,',
    `demo_pkg-1.0.dist-info/METADATA,${recordHash(meta)},${meta.length}`,
    'demo_pkg-1.0.dist-info/RECORD,,',
    `"../../../bin/demo,cli",${recordHash(script)},${script.length}`,
  ].join('\n');
  return [
    { name: `${site}/demo_pkg/__init__.py`, content: INIT_PY },
    { name: `${site}/demo_pkg/__pycache__/__init__.cpython-311.pyc`, content: 'pyc' },
    { name: `${site}/demo_pkg-1.0.dist-info/METADATA`, content: meta },
    { name: `${site}/demo_pkg-1.0.dist-info/RECORD`, content: `${record}\n` },
    { name: 'opt/venv/bin/demo,cli', content: script, mode: 0o755 },
  ];
}

/** An npm package with a nested dependency, and an apk database owning one file. */
export function npmApkLayer(): TarEntry[] {
  return [
    { name: 'app/node_modules/left-pad/package.json', content: '{"name":"left-pad","version":"1.3.0"}' },
    { name: 'app/node_modules/left-pad/index.js', content: 'module.exports = 1;\n' },
    { name: 'app/node_modules/left-pad/node_modules/@s/inner/package.json', content: '{"name":"@s/inner","version":"2.0.0"}' },
    { name: 'app/node_modules/left-pad/node_modules/@s/inner/lib/x.js', content: 'x\n' },
    { name: 'lib/apk/db/installed', content: 'P:musl\nV:1.2.4-r2\nA:x86_64\nF:lib\nR:ld-musl-x86_64.so.1\nZ:Q1abc=\n\n' },
    { name: 'lib/ld-musl-x86_64.so.1', content: 'musl', mode: 0o755 },
  ];
}
