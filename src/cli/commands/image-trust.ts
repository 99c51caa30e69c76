// The image commands' trust, policy and signer from their flags: src/cli/trust.ts's functions under the names the
// commands import (kept so that commands written against this module, such as the gate's, need no change).
import type { Signer } from '../../attest/signer.js';
import type { Parsed } from '../command.js';
import { makeSigner, signerFlags } from '../trust.js';

export { policyFrom, trustFrom } from '../trust.js';

/** The signer from --key KEY or --keyless (exactly one), with the process environment's secrets. */
export function signerFrom(args: Parsed, command: string): Promise<Signer> {
  return makeSigner(signerFlags(args), command, process.env);
}
