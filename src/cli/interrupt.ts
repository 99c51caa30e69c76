// The CLI owns the process: SIGINT/SIGTERM abort the command's AbortSignal; a command that does not watch the signal
// (or a second signal) ends the process at once with 130/143, temp folders removed. Nothing below src/cli exits.
import { removeTempFoldersSync } from '../model/temp.js';

/** A cancellation signal tied to SIGINT/SIGTERM for one command run, and its removal. */
export interface Interrupts {
  signal: AbortSignal;
  /** The exit code of the signal received (130 for SIGINT, 143 for SIGTERM), if any. */
  code(): number | undefined;
  dispose(): void;
}

let exitHooked = false;

const codeOf = (sig: NodeJS.Signals): number => (sig === 'SIGTERM' ? 143 : 130);

/** Installs the handlers; `watched` says whether the command stops by itself when the signal is aborted. */
export function installInterrupts(watched: boolean): Interrupts {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    const again = received !== undefined;
    received ??= sig;
    controller.abort(sig);
    if (watched && !again) return;
    removeTempFoldersSync();
    process.exit(codeOf(received));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  if (!exitHooked) {
    exitHooked = true;
    process.once('exit', removeTempFoldersSync);
  }
  return {
    signal: controller.signal,
    code: () => (received ? codeOf(received) : undefined),
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
