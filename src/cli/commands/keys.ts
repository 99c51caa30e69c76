// `mlbuild keys generate --out DIR`: an ECDSA P-256 key pair for offline signing.
import { fail } from '../../core/index.js';
import { str, type Command } from '../command.js';
import { KEY_PASSWORD_ENV } from '../trust.js';


/** The keys generate command. */
export const keysGenerateCommand: Command = {
  name: 'keys generate',
  summary: 'Generate an ECDSA P-256 key pair (DIR/mlbuild.key, DIR/mlbuild.pub) for offline signing.',
  usage: 'keys generate --out DIR',
  options: [{ name: 'out', short: 'o', type: 'string', value: 'DIR', help: 'folder for mlbuild.key and mlbuild.pub (created when missing)' }],
  details: `The private key is PKCS#8 PEM, encrypted (AES-256) when ${KEY_PASSWORD_ENV} is set. Existing files are never overwritten.`,
  async run(args, out) {
    if (args.positionals.length > 0) fail('USAGE', `keys generate: unexpected argument ${args.positionals[0]}`);
    const dir = str(args, 'out');
    if (!dir) fail('USAGE', 'keys generate: --out DIR is required');
    const password = process.env[KEY_PASSWORD_ENV] || undefined;
    const { writeKeyPair } = await import('../../attest/keys.js');
    const r = await writeKeyPair(dir, { password });
    if (out.json) out.resultJson({ privateKey: r.privateKeyPath, publicKey: r.publicKeyPath, hint: r.hint, encrypted: Boolean(password) });
    else out.result(`${r.privateKeyPath}${password ? ' (encrypted)' : ''}\n${r.publicKeyPath}\nkey hint ${r.hint}`);
    return 0;
  },
};
