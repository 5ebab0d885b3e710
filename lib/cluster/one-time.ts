import type { z } from "zod";
import type { OneTimeStore } from "../auth/one-time.ts";
import { PanecastError } from "../errors.ts";
import type { Redis } from "./redis.ts";

const HASH = /^[0-9a-f]{64}$/;

/**
 * Single-use secrets shared by every node: one Redis string per secret, under the SHA-256 of the
 * secret, with the secret's own TTL (so Redis bounds them by time); claimed with GETDEL, so one made
 * on alpha is used once on beta and refused after that on every node. What is read back is checked
 * like any input.
 */
export class RedisOneTime<T> implements OneTimeStore<T> {
  constructor(
    private readonly redis: Redis,
    private readonly key: (hash: string) => string,
    private readonly schema: z.ZodType<T>,
  ) {}

  async put(hash: string, value: T, ttlMs: number): Promise<void> {
    if (!HASH.test(hash)) throw new Error("one-time secret: not a SHA-256 hash");
    try {
      await this.redis.set(this.key(hash), JSON.stringify(value), { PX: Math.max(1, Math.ceil(ttlMs)) });
    } catch {
      throw new PanecastError("NODE_UNAVAILABLE", "the cluster's store (Redis) is not reachable; try again");
    }
  }

  async take(hash: string): Promise<T | null> {
    if (!HASH.test(hash)) return null;
    let raw: string | null;
    try {
      raw = await this.redis.getDel(this.key(hash));
    } catch {
      throw new PanecastError("NODE_UNAVAILABLE", "the cluster's store (Redis) is not reachable; try again");
    }
    if (raw === null) return null;
    try {
      const r = this.schema.safeParse(JSON.parse(raw));
      return r.success ? r.data : null;
    } catch {
      return null;
    }
  }
}
