// Rendering: results to stdout, progress and messages to stderr (human or --json), events from the library.
import type { MlEvent } from '../core/index.js';

/** Where a command writes, honouring --json, -q and -v. */
export class Output {
  json = false;
  quiet = false;
  verbose = false;
  private progressShown = false;
  private readonly tty = Boolean(process.stderr.isTTY);
  private started = Date.now();
  private bytes = 0;
  /** Bytes reported by `bytes` events since the last finished layer. */
  private current = 0;
  private drawn = 0;
  private label = 'reading';

  /** Writes a result line (or text) to stdout. */
  result(text: string): void {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Writes a JSON document to stdout. */
  resultJson(value: unknown): void {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** A message on stderr (suppressed by -q). */
  info(text: string): void {
    if (this.quiet) return;
    this.clearProgress();
    process.stderr.write(`${text}\n`);
  }

  /** A warning on stderr (suppressed by -q). */
  warn(text: string): void {
    if (this.quiet) return;
    this.clearProgress();
    process.stderr.write(`warning: ${text}\n`);
  }

  /** An error line on stderr (never suppressed). */
  error(text: string): void {
    this.clearProgress();
    process.stderr.write(`mlbuild: ${text}\n`);
  }

  /** Reports a failure: one line on stderr and, with --json, `{ok: false, error}` on stdout; returns the exit code. */
  failure(error: { code: string; exitCode: number; message: string; hint?: string }): number {
    this.done();
    this.error(`${error.message}${error.hint ? ` (${error.hint})` : ''}`);
    if (this.json) this.resultJson({ ok: false, error });
    return error.exitCode;
  }

  private clearProgress(): void {
    if (this.progressShown) {
      process.stderr.write('\r\x1b[K');
      this.progressShown = false;
    }
  }

  /** Renders a library event: progress only on a terminal, logs by level. */
  event = (e: MlEvent): void => {
    if (e.type === 'log') {
      if (e.level === 'warn') this.warn(e.message);
      else if (e.level === 'info' || this.verbose) this.info(e.message);
      return;
    }
    if (e.type === 'unaccounted') {
      this.info(`unaccounted files: ${e.kind}: ${e.files} file${e.files === 1 ? '' : 's'}, ${e.bytes} bytes`);
      return;
    }
    if (e.type === 'audit') {
      this.clearProgress();
      process.stderr.write(`${JSON.stringify(e.record)}\n`);
      return;
    }
    if (e.type === 'step') {
      if (!this.quiet) this.info(`${e.name}${e.detail ? `: ${e.detail}` : ''}`);
      return;
    }
    if (e.type === 'bytes') {
      this.current += e.bytes;
      if (Date.now() - this.drawn >= 100) this.progress(this.label);
      return;
    }
    if (e.type === 'layer-done') {
      // Bytes streamed through this layer when reported as they passed, else the size the source gave at the end.
      this.bytes += this.current > 0 ? this.current : e.bytes;
      this.current = 0;
      if (this.verbose) this.info(`layer ${e.index} ${e.diffID.slice(7, 19)} ${e.cached ? 'cached' : `${(e.bytes / 1e6).toFixed(1)} MB`}`);
      this.progress(`layer ${e.index + 1} done`);
    }
    if (e.type === 'layer-start') {
      this.label = `layer ${e.index + 1}/${e.total}`;
      this.progress(this.label);
    }
  };

  /** The progress line (terminal only): what is being read, bytes so far and the rate. */
  private progress(label: string): void {
    if (!this.tty || this.quiet || this.json) return;
    const now = Date.now();
    const secs = Math.max((now - this.started) / 1000, 0.001);
    const total = this.bytes + this.current;
    process.stderr.write(`\r\x1b[K${label}  ${(total / 1e6).toFixed(0)} MB  ${(total / 1e6 / secs).toFixed(0)} MB/s`);
    this.progressShown = true;
    this.drawn = now;
  }

  /** Ends any progress line. */
  done(): void {
    this.clearProgress();
  }
}
