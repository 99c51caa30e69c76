// The decision cache: positive and negative TTLs, LRU bounds, single-flight, invalidation.
import { describe, expect, it } from 'vitest';
import { DecisionCache } from '../../../src/server/index.js';

interface V {
  ok: boolean;
  bytes: number;
  n: number;
}

function cache(now: { t: number }, extra: { maxEntries?: number; maxBytes?: number } = {}) {
  return new DecisionCache<V>({ ttlMs: 1000, denyTtlMs: 100, now: () => now.t, ...extra });
}

describe('DecisionCache', () => {
  it('keeps approvals for the TTL and denials for the shorter deny TTL', () => {
    const now = { t: 0 };
    const c = cache(now);
    c.set('a', { ok: true, bytes: 1, n: 1 });
    c.set('d', { ok: false, bytes: 1, n: 2 });
    now.t = 150;
    expect(c.get('a')?.n).toBe(1);
    expect(c.get('d')).toBeUndefined();
    now.t = 1001;
    expect(c.get('a')).toBeUndefined();
  });

  it('computes once for concurrent callers of one key', async () => {
    const c = cache({ t: 0 });
    let runs = 0;
    const compute = async (): Promise<V> => {
      runs++;
      await new Promise((r) => setTimeout(r, 20));
      return { ok: true, bytes: 1, n: runs };
    };
    const all = await Promise.all(Array.from({ length: 50 }, () => c.getOrCompute('k', compute)));
    expect(runs).toBe(1);
    expect(all.filter((r) => !r.hit)).toHaveLength(1);
    expect((await c.getOrCompute('k', compute)).hit).toBe(true);
  });

  it('does not cache a failed computation', async () => {
    const c = cache({ t: 0 });
    await expect(c.getOrCompute('k', () => Promise.reject(new Error('upstream down')))).rejects.toThrow();
    expect((await c.getOrCompute('k', async () => ({ ok: true, bytes: 1, n: 7 }))).value.n).toBe(7);
  });

  it('evicts the least recently used beyond its entry and byte bounds', () => {
    const c = cache({ t: 0 }, { maxEntries: 2, maxBytes: 100 });
    c.set('a', { ok: true, bytes: 10, n: 1 });
    c.set('b', { ok: true, bytes: 10, n: 2 });
    c.get('a');
    c.set('c', { ok: true, bytes: 10, n: 3 });
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')?.n).toBe(1);
    c.set('big', { ok: true, bytes: 95, n: 4 });
    expect(c.size).toBe(1);
  });

  it('invalidates matching keys', () => {
    const c = cache({ t: 0 });
    c.set('r@sha256:1|p|t', { ok: true, bytes: 1, n: 1 });
    c.set('r@sha256:2|p|t', { ok: true, bytes: 1, n: 2 });
    expect(c.invalidate((k) => k.startsWith('r@sha256:1|'))).toBe(1);
    expect(c.get('r@sha256:2|p|t')?.n).toBe(2);
  });
});

describe('DecisionCache invalidation during a computation', () => {
  it('does not remember a value computed before its key was invalidated', async () => {
    const c = new DecisionCache<V>({ ttlMs: 1000, denyTtlMs: 1000 });
    let release: () => void = () => {};
    const slow = c.getOrCompute('k', () => new Promise<V>((ok) => (release = () => ok({ ok: false, bytes: 1, n: 1 }))));
    await Promise.resolve();
    c.invalidate((k) => k === 'k');
    release();
    expect((await slow).value.n).toBe(1);
    expect(c.get('k')).toBeUndefined();
    expect((await c.getOrCompute('k', async () => ({ ok: true, bytes: 1, n: 2 }))).value.n).toBe(2);
  });
});
