// The wiring rule for the gate: nothing under src/server reads process.env, exits the process or installs signal
// handlers (only the CLI does; the server takes its dependencies as parameters).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('../../../src/server/', import.meta.url));

describe('src/server boundaries', () => {
  it('never reads process.env, calls process.exit or installs signal handlers', async () => {
    const files = (await readdir(dir)).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const text = await readFile(join(dir, f), 'utf8');
      expect(text, f).not.toMatch(/process\.env|process\.exit|process\.(on|once|addListener)\s*\(\s*['"]SIG/);
    }
  });
});
