import { describe, expect, it } from 'vitest';
import { npmCataloger, npmPurl, parseNpmManifest } from '../../../../src/catalog/packages/npm.js';
import { memoryView, runCatalogers } from './memory-view.js';

const NM = 'app/node_modules';
const json = (v: unknown): string => JSON.stringify(v, null, 2);

describe('npm', () => {
  it('reads license strings, objects and legacy arrays', () => {
    expect(parseNpmManifest(json({ name: 'a', version: '1.0.0', license: 'MIT OR Apache-2.0' }))?.licenses).toEqual(['MIT OR Apache-2.0']);
    expect(parseNpmManifest(json({ name: 'a', version: '1.0.0', license: { type: 'ISC', url: 'x' } }))?.licenses).toEqual(['ISC']);
    expect(parseNpmManifest(json({ name: 'a', version: '1.0.0', licenses: [{ type: 'MIT' }, 'Apache-2.0'] }))?.licenses).toEqual(['MIT', 'Apache-2.0']);
    expect(parseNpmManifest(json({ name: 'a', version: '1.0.0', author: { name: 'Ann' } }))?.author).toBe('Ann');
    expect(parseNpmManifest(json({ name: 'a' }))).toBeUndefined();
    expect(parseNpmManifest('[]')).toBeUndefined();
    expect(() => parseNpmManifest('{')).toThrow(SyntaxError);
  });

  it('builds purls with the scope as an encoded namespace', () => {
    expect(npmPurl('@babel/core', '7.23.0')).toBe('pkg:npm/%40babel/core@7.23.0');
    expect(npmPurl('lodash', '4.17.21')).toBe('pkg:npm/lodash@4.17.21');
    expect(npmPurl('x', '1.0.0-rc.1+build.5')).toBe('pkg:npm/x@1.0.0-rc.1%2Bbuild.5');
  });

  it('catalogs package roots under node_modules only, and reports invalid JSON', () => {
    const view = memoryView(
      [
        { path: `${NM}/lodash/package.json`, content: json({ name: 'lodash', version: '4.17.21', license: 'MIT', description: 'Lodash' }), layer: 4 },
        { path: `${NM}/@babel/core/package.json`, content: json({ name: '@babel/core', version: '7.23.0', license: 'MIT', author: 'The Babel Team (https://babel.dev/team)' }), layer: 4 },
        { path: `${NM}/@babel/core/node_modules/semver/package.json`, content: json({ name: 'semver', version: '6.3.1', license: 'ISC' }), layer: 4 },
        { path: `${NM}/lodash/fp/package.json`, content: json({ name: 'fp-inner', version: '0.0.0' }), layer: 4 },
        { path: `${NM}/esm-only/dist/esm/package.json`, content: json({ type: 'module' }), layer: 4 },
        { path: `${NM}/no-version/package.json`, content: json({ name: 'no-version' }), layer: 4 },
        { path: `${NM}/broken/package.json`, content: '{"name": "broken",', layer: 5 },
        { path: 'app/package.json', content: json({ name: 'my-app', version: '1.0.0' }), layer: 5 },
        { path: `${NM}/.bin/package.json`, content: json({ name: 'bin', version: '1.0.0' }), layer: 4 },
      ],
      [npmCataloger],
    );
    const out = runCatalogers(view, [npmCataloger]);
    expect(out.packages.map((p) => [p.purl, p.location.path])).toEqual([
      ['pkg:npm/semver@6.3.1', `${NM}/@babel/core/node_modules/semver/package.json`],
      ['pkg:npm/%40babel/core@7.23.0', `${NM}/@babel/core/package.json`],
      ['pkg:npm/lodash@4.17.21', `${NM}/lodash/package.json`],
    ]);
    expect(out.packages[1]).toMatchObject({ ecosystem: 'npm', name: '@babel/core', licenses: ['MIT'], supplier: 'The Babel Team (https://babel.dev/team)', location: { layer: 4 } });
    expect(out.packages[2]).toMatchObject({ description: 'Lodash' });
    expect(out.unknowns).toHaveLength(1);
    expect(out.unknowns[0]).toMatchObject({ path: `${NM}/broken/package.json`, layer: 5 });
    expect(out.unknowns[0]?.reason).toMatch(/^package\.json invalid JSON/);
  });
});
