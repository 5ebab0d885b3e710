import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";

/**
 * Where single-use secrets (phone sign-in links, push answer capabilities) are kept, by the SHA-256
 * of the secret, never the secret itself. `take` is the one atomic claim: it returns the value and
 * removes it in one step, so a secret works once however many nodes race for it.
 */
export interface OneTimeStore<T> {
  put(hash: string, value: T, ttlMs: number): Promise<void>;
  /** The value, used up; null when unknown, used or expired. */
  take(hash: string): Promise<T | null>;
}

export function secretHash(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** One process's single-use secrets, in memory, bounded (the oldest goes first) and expiring. */
export class MemoryOneTime<T extends {}> implements OneTimeStore<T> {
  private readonly entries: LRUCache<string, T>;

  constructor(max: number) {
    this.entries = new LRUCache({ max, ttlAutopurge: false, allowStale: false });
  }

  async put(hash: string, value: T, ttlMs: number): Promise<void> {
    this.entries.set(hash, value, { ttl: Math.max(1, Math.ceil(ttlMs)) });
  }

  async take(hash: string): Promise<T | null> {
    const v = this.entries.get(hash);
    this.entries.delete(hash);
    return v ?? null;
  }
}
