// Progress and log events: the library reports through these; only the CLI renders them.

/** One progress or log event from the library. */
export type MlEvent =
  | { type: 'log'; level: 'debug' | 'info' | 'warn'; message: string }
  | { type: 'layer-start'; index: number; total: number; diffID: string; size?: number }
  | { type: 'layer-done'; index: number; diffID: string; bytes: number; cached: boolean }
  /** Bytes read or hashed since the last such event (progress within a layer or a model). */
  | { type: 'bytes'; bytes: number }
  | { type: 'step'; name: string; detail?: string }
  /** Files of the image nobody owns (no package, model or build context), one event per kind. */
  | { type: 'unaccounted'; kind: string; files: number; bytes: number }
  /** One machine-readable record (e.g. a gate decision) the CLI writes as a JSON line. */
  | { type: 'audit'; record: Record<string, unknown> };

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

/** Batches byte counts into `bytes` events of at least `every` bytes (default 4 MiB); `flush` sends the rest. */
export function byteEvents(sink: EventSink, every = 4 << 20): { add(n: number): void; flush(): void } {
  let pending = 0;
  const flush = (): void => {
    if (pending > 0) sink({ type: 'bytes', bytes: pending });
    pending = 0;
  };
  return {
    add(n) {
      pending += n;
      if (pending >= every) flush();
    },
    flush,
  };
}
