import { describe, expect, it } from 'vitest';
import { distroQualifier, osReleaseCataloger, parseOsRelease } from '../../../../src/catalog/packages/os-release.js';
import { memoryView, runCatalogers } from './memory-view.js';

const DEBIAN = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
`;

describe('os-release', () => {
  it('parses quoted and bare values, escapes and comments', () => {
    const os = parseOsRelease(`# comment\nID=alpine\nNAME='Alpine Linux'\nVERSION_ID=3.19.1\nPRETTY_NAME="Say \\"hi\\""\n`);
    expect(os).toEqual({ id: 'alpine', name: 'Alpine Linux', versionId: '3.19.1', prettyName: 'Say "hi"' });
    expect(parseOsRelease('NAME=x\n').id).toBe('linux');
  });

  it('gives a distro qualifier from version id, else codename', () => {
    expect(distroQualifier(parseOsRelease(DEBIAN))).toBe('debian-12');
    expect(distroQualifier(parseOsRelease('ID=debian\nVERSION_CODENAME=trixie\n'))).toBe('debian-trixie');
    expect(distroQualifier(parseOsRelease('ID=debian\n'))).toBeUndefined();
  });

  it('follows the etc/os-release symlink to usr/lib/os-release', () => {
    const view = memoryView(
      [
        { path: 'etc/os-release', link: '../usr/lib/os-release' },
        { path: 'usr/lib/os-release', content: DEBIAN },
      ],
      [osReleaseCataloger],
    );
    expect(runCatalogers(view, [osReleaseCataloger]).os).toEqual({
      id: 'debian',
      versionId: '12',
      name: 'Debian GNU/Linux',
      prettyName: 'Debian GNU/Linux 12 (bookworm)',
    });
  });

  it('prefers a regular etc/os-release and leaves os unset without one', () => {
    const view = memoryView(
      [
        { path: 'etc/os-release', content: 'ID=ubuntu\nVERSION_ID="22.04"\n' },
        { path: 'usr/lib/os-release', content: DEBIAN },
      ],
      [osReleaseCataloger],
    );
    expect(runCatalogers(view, [osReleaseCataloger]).os).toEqual({ id: 'ubuntu', versionId: '22.04' });
    expect(runCatalogers(memoryView([], [osReleaseCataloger]), [osReleaseCataloger]).os).toBeUndefined();
  });
});
