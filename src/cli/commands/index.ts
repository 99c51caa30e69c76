// Every CLI command, in the order --help lists them.
import type { Command } from '../command.js';
import { sbomCommand } from './sbom.js';

/** The commands of the mlbuild binary. */
export const commands: Command[] = [sbomCommand];
