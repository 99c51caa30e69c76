import { DockerEngine } from '../../src/docker/engine.js';
import { engineEndpoint } from '../../src/docker/engine-endpoint.js';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdir, writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BASE_IMAGES, buildImage, removeImage, makeTempDir, runCli, runInImage, type TempDir } from '../helpers/index.js';
import { openImage } from '../../src/image/open.js';
import { inventoryOf } from '../../src/pipeline/sbom.js';
import { defaultFilesPolicy, fileFindings, type FileFinding } from '../../src/policy/index.js';
import type { FileOwners } from '../../src/catalog/index.js';

interface Prop { name: string; value: string }
interface Component { type: string; name: string; properties?: Prop[] }
interface Bom { components: Component[]; metadata: { properties?: Prop[] } }

// Files of the stock image that no package lists: written by mmdebstrap and by maintainer scripts (user and group
// databases, PAM and shell state, the linker cache, the CA bundle update-ca-certificates builds, generated /etc and
// /root dotfiles, login records).
const EXPLAINED = [
  /^etc\/(\.pwd\.lock|environment|fstab|hostname|resolv\.conf|timezone|motd|inputrc|profile|shells|ld\.so\.cache|nsswitch\.conf|ca-certificates\.conf)$/,
  /^etc\/(passwd|group|shadow|gshadow|subuid|subgid)-?$/,
  /^etc\/ssl\/certs\/ca-certificates\.crt$/,
  /^etc\/(apt\/sources\.list|apt\/apt\.conf\.d\/99mmdebstrap|dpkg\/dpkg\.cfg\.d\/99mmdebstrap|pam\.d\/common-[a-z-]+|security\/opasswd|python3\/debian_config)$/,
  /^root\/\.(bashrc|profile)$/,
  /^usr\/share\/info\/dir$/,
  /^var\/lib\/(pam\/[a-z-]+|shells\.state|python\/python3\.11_installed|systemd\/deb-systemd-helper-enabled\/.+)$/,
  /^var\/log\/(btmp|faillog|lastlog|wtmp)$/,
];

const prop = (c: Component, name: string) => c.properties?.find((p) => p.name === name)?.value;

async function sbomOf(tmp: TempDir, tag: string): Promise<{ bom: Bom; stderr: string }> {
  const out = join(tmp.path, `${tag.replace(/[^a-z0-9]/gi, '_')}.json`);
  const r = await runCli(['sbom', '--no-cache', `docker:${tag}`, '-o', out]);
  expect(r.code, r.stderr).toBe(0);
  return { bom: JSON.parse(await readFile(out, 'utf8')) as Bom, stderr: r.stderr };
}

async function findingsOf(tag: string): Promise<{ owners: FileOwners; findings: FileFinding[] }> {
  const image = await openImage(`docker:${tag}`, { engine: () => new DockerEngine(engineEndpoint(undefined, process.env)) });
  try {
    const { inventory, tree } = await inventoryOf(image, { cacheDir: false });
    const owners = inventory.owners as FileOwners;
    return { owners, findings: fileFindings(defaultFilesPolicy(), owners, tree) };
  } finally {
    await image.close();
  }
}

const files = (bom: Bom) => bom.components.filter((c) => c.type === 'file');

describe('every file of a real Debian image has an owner', () => {
  let tmp: TempDir;
  const id = `${Date.now()}-${process.pid}`;
  const tampered = `mlbuild-it/owners-ls:${id}`;
  const pip = `mlbuild-it/owners-pip:${id}`;
  const pipEdited = `mlbuild-it/owners-pip-edited:${id}`;
  const site = 'usr/local/lib/python3.11/dist-packages';

  beforeAll(async () => {
    tmp = await makeTempDir('owners');
    const build = async (name: string, lines: string[], tag: string) => {
      const ctx = join(tmp.path, name);
      await mkdir(ctx, { recursive: true });
      await writeFile(join(ctx, 'Dockerfile'), `${lines.join('\n')}\n`);
      await buildImage(ctx, tag);
    };
    await build('ls', [`FROM ${BASE_IMAGES.debian}`, 'RUN cp /usr/bin/true /usr/bin/ls'], tampered);
    // A Debian wheel installed by pip (run from Debian's own pip wheel): RECORD rows with sha256 per file.
    await build('pip', [
      `FROM ${BASE_IMAGES.debian}`,
      'RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends python3-pip-whl python3-setuptools-whl >/dev/null',
      'RUN PIP=$(ls /usr/share/python-wheels/pip-*.whl) && python3 "$PIP/pip" install -q --no-index --break-system-packages /usr/share/python-wheels/setuptools-*.whl',
    ], pip);
    await build('pip-edited', [`FROM ${pip}`, `RUN echo "# edited" >> /${site}/setuptools/__init__.py`], pipEdited);
  });

  afterAll(async () => {
    await removeImage(tampered, pipEdited, pip);
    await tmp?.cleanup();
  });

  it('stock image: every regular file is owned except an explained set, no package file is modified', async () => {
    const { bom, stderr } = await sbomOf(tmp, BASE_IMAGES.debian);
    const all = files(bom);
    expect(all.length).toBeGreaterThan(5000);
    const unaccounted = all.filter((c) => prop(c, 'mlbuild:file:owner') === 'unaccounted').map((c) => c.name.slice(1));
    expect(unaccounted.filter((p) => !EXPLAINED.some((re) => re.test(p)))).toEqual([]);
    expect(unaccounted.length).toBeLessThan(80);
    expect(all.filter((c) => prop(c, 'mlbuild:file:ownerState') === 'modified')).toEqual([]);
    const verified = all.filter((c) => prop(c, 'mlbuild:file:ownerState') === 'verified').length;
    expect(verified).toBeGreaterThan(5000);
    // dpkg-owned through the merged-usr symlink (/bin/ls in coreutils' lists), checked against its md5sums entry.
    expect(all.find((c) => c.name === '/usr/bin/ls')?.properties).toEqual(expect.arrayContaining([{ name: 'mlbuild:file:owner', value: 'deb:coreutils' }, { name: 'mlbuild:file:ownerState', value: 'verified' }]));
    expect(bom.metadata.properties?.some((p) => p.name.startsWith('mlbuild:files:unaccounted:'))).toBe(true);
    expect(stderr).toMatch(/unaccounted files: \S+: \d+ files?, \d+ bytes/);
    expect((await findingsOf(BASE_IMAGES.debian)).findings).toEqual([]);
  });

  it('an overwritten /usr/bin/ls is exactly one finding: package file modified, with the md5 dpkg recorded', async () => {
    const { findings } = await findingsOf(tampered);
    const want = (await runInImage(BASE_IMAGES.debian, ['sh', '-c', "grep ' usr/bin/ls$\\| bin/ls$' /var/lib/dpkg/info/coreutils.md5sums | cut -d' ' -f1"])).stdout.trim();
    const got = (await runInImage(tampered, ['md5sum', '/usr/bin/ls'])).stdout.split(' ')[0];
    expect(findings).toEqual([expect.objectContaining({ kind: 'package-file-modified', path: '/usr/bin/ls', want, got, atlas: 'AML.T0010', fatal: true, layer: 1 })]);
  });

  it('pip-installed wheel: RECORD-verified files; editing one installed .py is exactly one finding', async () => {
    const clean = await findingsOf(pip);
    expect(clean.findings).toEqual([]);
    const setuptools = [...clean.owners].filter(([, o]) => o.kind === 'package' && o.id === 'pypi:setuptools');
    expect(setuptools.filter(([, o]) => o.kind === 'package' && o.state === 'verified').length).toBeGreaterThan(100);
    expect(clean.owners.get(`${site}/setuptools/__init__.py`)).toEqual({ kind: 'package', id: 'pypi:setuptools', state: 'verified' });
    const edited = await findingsOf(pipEdited);
    expect(edited.findings).toEqual([
      expect.objectContaining({ kind: 'package-file-modified', path: `/${site}/setuptools/__init__.py`, atlas: 'AML.T0010', fatal: true }),
    ]);
    expect(edited.owners.get(`${site}/setuptools/__init__.py`)).toMatchObject({ id: 'pypi:setuptools', state: 'modified', alg: 'sha256' });
  });
});
