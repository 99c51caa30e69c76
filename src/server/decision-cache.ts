// Decisions remembered per key with a positive and a negative TTL, bounded in entries and bytes (least recently
// used goes first), and one computation per key in flight however many requests ask at once.

/** What a cached value must say about itself: whether it allows, and what it costs in memory. */
export interface Cacheable {
  ok: boolean;
  bytes: number;
}

/** Cache bounds and lifetimes, in milliseconds and bytes. */
export interface DecisionCacheOptions {
  ttlMs: number;
  denyTtlMs: number;
  maxEntries?: number;
  maxBytes?: number;
  now?: () => number;
}

interface Slot<T> {
  value: T;
  expires: number;
}

/** A TTL + LRU cache with single-flight: `get` never computes, `getOrCompute` computes at most once per key at a time. */
export class DecisionCache<T extends Cacheable> {
  private readonly slots = new Map<string, Slot<T>>();
  private readonly flights = new Map<string, Promise<T>>();
  private readonly stale = new WeakSet<Promise<T>>();
  private bytes = 0;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly now: () => number;

  constructor(private readonly opts: DecisionCacheOptions) {
    this.maxEntries = opts.maxEntries ?? 10_000;
    this.maxBytes = opts.maxBytes ?? 256 * 1024 * 1024;
    this.now = opts.now ?? Date.now;
  }

  /** The live value of `key` (refreshing its recency), or undefined. */
  get(key: string): T | undefined {
    const slot = this.slots.get(key);
    if (!slot) return undefined;
    if (slot.expires <= this.now()) {
      this.drop(key);
      return undefined;
    }
    this.slots.delete(key);
    this.slots.set(key, slot);
    return slot.value;
  }

  /** The cached value, or the one computation in flight for `key`, or a new one; `hit` says which. */
  async getOrCompute(key: string, compute: () => Promise<T>): Promise<{ value: T; hit: boolean }> {
    const cached = this.get(key);
    if (cached) return { value: cached, hit: true };
    const flying = this.flights.get(key);
    if (flying) return { value: await flying, hit: true };
    const p = compute().then((value) => {
      // A computation that started before an invalidation of its key answers its callers but is not remembered.
      if (!this.stale.has(p)) this.set(key, value);
      return value;
    });
    this.flights.set(key, p);
    try {
      return { value: await p, hit: false };
    } finally {
      if (this.flights.get(key) === p) this.flights.delete(key);
      this.stale.delete(p);
    }
  }

  /** Stores a value with the TTL its verdict calls for, evicting the least recently used beyond the bounds. */
  set(key: string, value: T): void {
    this.drop(key);
    const ttl = value.ok ? this.opts.ttlMs : this.opts.denyTtlMs;
    if (ttl <= 0 || value.bytes > this.maxBytes) return;
    this.slots.set(key, { value, expires: this.now() + ttl });
    this.bytes += value.bytes;
    while (this.slots.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.slots.keys().next().value as string;
      this.drop(oldest);
    }
  }

  /** Forgets every key for which `match` is true (and disowns computations in flight for them); returns how many went. */
  invalidate(match: (key: string) => boolean): number {
    let n = 0;
    for (const [key, p] of [...this.flights]) {
      if (match(key)) {
        this.stale.add(p);
        this.flights.delete(key);
      }
    }
    for (const key of [...this.slots.keys()]) {
      if (match(key)) {
        this.drop(key);
        n++;
      }
    }
    return n;
  }

  /** Number of live-or-expired entries held. */
  get size(): number {
    return this.slots.size;
  }

  private drop(key: string): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    this.bytes -= slot.value.bytes;
    this.slots.delete(key);
  }
}
