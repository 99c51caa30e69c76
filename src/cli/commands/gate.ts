// `mlbuild gate`: for now the Kubernetes admission endpoints only (the registry gate, --upstream, comes with issue 10).
import { readFile } from 'node:fs/promises';
import { describeError, fail } from '../../core/index.js';
import { str, type Command, type Parsed } from '../command.js';
import { ADMISSION_OPTIONS, admissionFrom } from './admission-flags.js';

async function pem(args: Parsed, name: string): Promise<Buffer> {
  const file = str(args, name) ?? '';
  try {
    return await readFile(file);
  } catch (e) {
    fail('NOT_FOUND', `--${name} ${file}: ${describeError(e)}`, { cause: e });
  }
}

/** The gate command (admission endpoints). */
export const gateCommand: Command = {
  name: 'gate',
  summary: 'Serve the Kubernetes admission webhooks: verify every pod image and pin it to the verified digest.',
  usage: 'gate --listen HOST:PORT [--tls-cert F --tls-key F] [--admission-config F] [--key PUB…] [--policy F] [--store S]',
  options: [
    { name: 'listen', type: 'string', value: 'HOST:PORT', help: 'address to listen on (port 0 picks one)' },
    { name: 'tls-cert', type: 'string', value: 'FILE', help: 'serving certificate PEM (the API server requires TLS)' },
    { name: 'tls-key', type: 'string', value: 'FILE', help: 'serving key PEM' },
    { name: 'upstream', type: 'string', value: 'URL', help: 'registry to gate (not in this build: admission endpoints only)' },
    ...ADMISSION_OPTIONS,
  ],
  details: `Serves POST /admission/mutate (verify each image of a Pod or pod template, pin it with a JSONPatch to the
digest verified) and POST /admission/validate (deny any image not pinned to a digest that verifies). Images are
verified in their own registries with the gate's docker config credentials (pods' imagePullSecrets are not read).
Runs until SIGTERM or SIGINT, then drains in-flight reviews. Exit 2 on bad flags or files, 3 when it cannot listen.`,
  async run(args, out) {
    if (args.positionals.length > 0) fail('USAGE', `gate: unexpected argument ${args.positionals[0]}`);
    if (str(args, 'upstream') !== undefined) fail('USAGE', 'gate --upstream: the registry gate is not in this build; run without --upstream for the admission endpoints');
    const listen = str(args, 'listen');
    if (!listen) fail('USAGE', 'gate: --listen HOST:PORT is required');
    const hasCert = str(args, 'tls-cert') !== undefined;
    if (hasCert !== (str(args, 'tls-key') !== undefined)) fail('USAGE', 'gate: give --tls-cert and --tls-key together');
    const tls = hasCert ? { cert: await pem(args, 'tls-cert'), key: await pem(args, 'tls-key') } : undefined;
    const { handler } = await admissionFrom(args, out);
    const { serveAdmission } = await import('../../server/admission/serve.js');
    const server = await serveAdmission(handler, { listen, tls });
    out.info(`mlbuild gate: admission endpoints on ${server.url}/admission/mutate and /admission/validate`);
    if (out.json) process.stdout.write(`${JSON.stringify({ listening: server.url })}\n`);
    const signal = await new Promise<string>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
    out.info(`mlbuild gate: ${signal}, draining`);
    await server.close();
    return 0;
  },
};
