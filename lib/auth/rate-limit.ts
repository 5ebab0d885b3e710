import { LRUCache } from "lru-cache";

/**
 * Token buckets by key (a token, an IP), the seed's RateLimiter: `rate` per second refilled, up to
 * `burst`. Buckets live in an lru-cache, so the number of keys tracked is bounded too.
 */
export class RateLimiter {
  private readonly rate: number;
  private readonly burst: number;
  private readonly buckets: LRUCache<string, { tokens: number; at: number }>;

  constructor(opts: { ratePerSecond: number; burst: number; maxKeys?: number }) {
    this.rate = opts.ratePerSecond;
    this.burst = opts.burst;
    this.buckets = new LRUCache({ max: opts.maxKeys ?? 10_000 });
  }

  /** Takes `cost` from the key's bucket; false when there is not enough (nothing is taken then). */
  take(key: string, cost = 1): boolean {
    const now = performance.now();
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.rate);
    b.at = now;
    const ok = b.tokens >= cost;
    if (ok) b.tokens -= cost;
    this.buckets.set(key, b);
    return ok;
  }

  /** Gives back what a `take` took (an attempt that turned out valid is not held against anyone). */
  refund(key: string, cost = 1): void {
    const b = this.buckets.get(key);
    if (b) b.tokens = Math.min(this.burst, b.tokens + cost);
  }

  /** Whether the key has at least `cost` now, without taking it. */
  peek(key: string, cost = 1): boolean {
    const b = this.buckets.get(key);
    if (!b) return true;
    return Math.min(this.burst, b.tokens + ((performance.now() - b.at) / 1000) * this.rate) >= cost;
  }
}
