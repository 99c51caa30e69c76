// `mlbuild sbom TARGET`: CycloneDX 1.6 JSON of an image, models included.
import { fail, writeFileAtomic } from '../../core/index.js';
import { parsePlatform } from '../../image/platform.js';
import type { FilesMode } from '../../sbom/inventory.js';
import { str, bool, type Command } from '../command.js';
import { wiringFor } from '../wiring.js';

/** The sbom command. */
export const sbomCommand: Command = {
  name: 'sbom',
  summary: 'Write the CycloneDX 1.6 SBOM of an image: OS and language packages, ML models (with model card, license and per-file SHA-256) and datasets.',
  usage: 'sbom TARGET [-o FILE] [--files all|models|none] [--platform OS/ARCH]',
  options: [
    { name: 'output', short: 'o', type: 'string', value: 'FILE', help: 'write the SBOM to FILE (atomically) instead of stdout' },
    { name: 'files', type: 'string', value: 'MODE', default: 'all', help: 'file components: all (every regular file), models (model and dataset files), none' },
    { name: 'platform', type: 'string', value: 'OS/ARCH', help: 'platform to pick from a multi-arch index' },
    { name: 'no-cache', type: 'boolean', help: 'do not use or fill the per-layer cache' },
  ],
  details: `TARGET is docker:REF (local engine), docker-archive:FILE.tar (docker save), oci-dir:PATH (OCI layout),
registry:REF, or a bare REF (the engine if it has it, else the registry).
Every layer is read once, as a stream. Archive, OCI layout and registry layers are checked against their blob
digest and diffID, and docker: through the engine's export stream against its diffIDs; docker: read in place from
overlay2 is not re-hashed (MLBUILD_DAEMON_READ=export checks it). --platform must match the image's own platform.
Results are cached per layer (MLBUILD_CACHE_DIR, default ~/.cache/mlbuild). SOURCE_DATE_EPOCH sets the timestamp.
With -o FILE and --json, a summary (counts, file) is printed on stdout.`,
  async run(args, out, cli) {
    const target = args.positionals[0];
    if (!target || args.positionals.length > 1) fail('USAGE', 'sbom: expected exactly one TARGET');
    const files = str(args, 'files') as FilesMode;
    if (!['all', 'models', 'none'].includes(files)) fail('USAGE', `sbom: --files must be all, models or none (got ${files})`);
    const platform = str(args, 'platform');
    // Loaded on demand, so other commands (and --help) do not pay for the SBOM engine.
    const [{ generateSbom }, { openRegistryImage }] = await Promise.all([import('../../pipeline/sbom.js'), import('../../image/sources/registry.js')]);
    const wiring = wiringFor(cli, out.event);
    const { json, inventory } = await generateSbom(target, {
      files,
      platform: platform ? parsePlatform(platform) : undefined,
      cacheDir: bool(args, 'no-cache') ? false : wiring.cacheDir,
      sbomTime: wiring.sbomTime,
      engine: wiring.engine,
      events: out.event,
      openRegistry: (ref, t, p) => openRegistryImage(ref, t, p, wiring.registry),
    });
    out.done();
    const output = str(args, 'output');
    if (output) await writeFileAtomic(output, json);
    else out.result(json);
    const c = inventory.catalog;
    const counts = { packages: c.packages.length, models: c.models.length, datasets: c.datasets.length, files: inventory.files.length, unknowns: inventory.unknowns.length };
    // With -o, stdout is free for a machine summary; without it, stdout is the SBOM itself.
    if (output && out.json) out.resultJson({ ok: true, output, target, ...counts });
    out.info(`sbom: ${counts.packages} packages, ${counts.models} models, ${counts.datasets} datasets, ${counts.files} files, ${counts.unknowns} unknowns${output ? ` → ${output}` : ''}`);
    for (const m of c.models) for (const w of m.warnings) out.warn(`${m.name}: ${w}`);
    return 0;
  },
};
