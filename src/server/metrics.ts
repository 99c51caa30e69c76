// The gate's counters in Prometheus text format: decisions by result, cache hits and misses, upstream latency.

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Counters and one latency histogram, rendered as Prometheus exposition text. */
export class GateMetrics {
  readonly decisions = new Map<string, number>();
  cacheHits = 0;
  cacheMisses = 0;
  upstreamRequests = 0;
  private readonly buckets = BUCKETS.map(() => 0);
  private latencySum = 0;
  private latencyCount = 0;

  /** Counts one decision with its result (allow, deny, pass, error). */
  decision(result: string): void {
    this.decisions.set(result, (this.decisions.get(result) ?? 0) + 1);
  }

  /** Records one upstream call the gate made and how long it took. */
  upstream(seconds: number): void {
    this.upstreamRequests++;
    this.latencySum += seconds;
    this.latencyCount++;
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) this.buckets[i]++;
    });
  }

  /** Times an upstream call. */
  async timed<T>(call: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await call();
    } finally {
      this.upstream((performance.now() - t0) / 1000);
    }
  }

  /** The exposition text. */
  render(): string {
    const out: string[] = [];
    out.push('# HELP mlbuild_gate_decisions_total Manifest decisions by result.', '# TYPE mlbuild_gate_decisions_total counter');
    for (const [result, n] of [...this.decisions].sort()) out.push(`mlbuild_gate_decisions_total{result="${result}"} ${n}`);
    out.push('# HELP mlbuild_gate_cache_hits_total Decisions answered from the cache.', '# TYPE mlbuild_gate_cache_hits_total counter', `mlbuild_gate_cache_hits_total ${this.cacheHits}`);
    out.push('# HELP mlbuild_gate_cache_misses_total Decisions that had to be computed.', '# TYPE mlbuild_gate_cache_misses_total counter', `mlbuild_gate_cache_misses_total ${this.cacheMisses}`);
    out.push('# HELP mlbuild_gate_upstream_seconds Latency of upstream manifest fetches and verifications.', '# TYPE mlbuild_gate_upstream_seconds histogram');
    BUCKETS.forEach((b, i) => out.push(`mlbuild_gate_upstream_seconds_bucket{le="${b}"} ${this.buckets[i]}`));
    out.push(`mlbuild_gate_upstream_seconds_bucket{le="+Inf"} ${this.latencyCount}`, `mlbuild_gate_upstream_seconds_sum ${this.latencySum.toFixed(6)}`, `mlbuild_gate_upstream_seconds_count ${this.latencyCount}`);
    return `${out.join('\n')}\n`;
  }
}
