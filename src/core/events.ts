// Progress and log events: the library reports through these; only the CLI renders them.

/** One progress or log event from the library. */
export type MlEvent =
  | { type: 'log'; level: 'debug' | 'info' | 'warn'; message: string }
  | { type: 'layer-start'; index: number; total: number; diffID: string; size?: number }
  | { type: 'layer-done'; index: number; diffID: string; bytes: number; cached: boolean }
  | { type: 'bytes'; bytes: number }
  | { type: 'step'; name: string; detail?: string };

/** A sink for events; the default drops them. */
export type EventSink = (e: MlEvent) => void;

/** An event sink that drops everything. */
export const noEvents: EventSink = () => {};

/** Convenience: emit a warning through a sink. */
export function warn(sink: EventSink, message: string): void {
  sink({ type: 'log', level: 'warn', message });
}

/** Convenience: emit an info line through a sink. */
export function info(sink: EventSink, message: string): void {
  sink({ type: 'log', level: 'info', message });
}
