// Every CLI command, in the order --help lists them.
import type { Command } from '../command.js';
import { sbomCommand } from './sbom.js';
import { keysGenerateCommand } from './keys.js';
import { attestModelCommand } from './attest-model.js';
import { attestListCommand } from './attest-list.js';
import { verifyModelCommand } from './verify-model.js';
import { attestImageCommand } from './attest-image.js';
import { verifyImageCommand } from './verify-image.js';
import { pullCommand } from './pull.js';
import { buildCommand } from './build.js';
import { gateCommand } from './gate.js';

/** The commands of the mlbuild binary. */
export const commands: Command[] = [
  buildCommand,
  sbomCommand,
  attestModelCommand,
  attestListCommand,
  verifyModelCommand,
  attestImageCommand,
  verifyImageCommand,
  pullCommand,
  gateCommand,
  keysGenerateCommand,
];
