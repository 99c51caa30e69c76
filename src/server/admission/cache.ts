// A small per-process decision cache: single-flight, a positive and a negative TTL, bounded entries.

/** Counters of a cache, for tests, metrics and the bench. */
export interface CacheStats {
  hits: number;
  misses: number;
}

/** Caches async results by key; concurrent callers of one key share one computation; thrown errors are not kept. */
export class DecisionCache<T> {
  readonly stats: CacheStats = { hits: 0, misses: 0 };
  private readonly done = new Map<string, { value: T; expires: number }>();
  private readonly running = new Map<string, Promise<T>>();

  constructor(
    private readonly ttlOf: (value: T) => number,
    private readonly maxEntries = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached value of `key`, or the running computation, or a new one from `compute`. */
  async get(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.done.get(key);
    if (hit && hit.expires > this.now()) {
      this.stats.hits++;
      return hit.value;
    }
    if (hit) this.done.delete(key);
    const pending = this.running.get(key);
    if (pending) {
      this.stats.hits++;
      return pending;
    }
    this.stats.misses++;
    const p = compute().then(
      (value) => {
        this.store(key, value);
        return value;
      },
    ).finally(() => this.running.delete(key));
    this.running.set(key, p);
    return p;
  }

  /** Forgets every entry. */
  clear(): void {
    this.done.clear();
  }

  private store(key: string, value: T): void {
    const ttl = this.ttlOf(value);
    if (ttl <= 0) return;
    while (this.done.size >= this.maxEntries) {
      const oldest = this.done.keys().next().value;
      if (oldest === undefined) break;
      this.done.delete(oldest);
    }
    this.done.set(key, { value, expires: this.now() + ttl });
  }
}
