import { createHash, randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import type { SessionKeyEvents } from "../auth/session-key.ts";
import { keys } from "./keys.ts";
import type { Redis } from "./redis.ts";

const KEY_FORMAT = /^[0-9a-f]{64}$/;

/**
 * The cookie-signing key of a cluster: one key in Redis (made by whichever node comes first, `SET NX`),
 * so a cookie signed on one node is good on every node. `panecast token rotate-key` with
 * PANECAST_REDIS_URL replaces it and announces it; every node then ends every login session. Until
 * Redis first answers, this node signs with a key of its own, whose cookies go stale once the
 * cluster's key is read (their holders sign in again).
 */
export class ClusterCookieKey extends EventEmitter<SessionKeyEvents> {
  private hex = randomBytes(32).toString("hex");
  private loaded = false;

  constructor(private readonly redis: Redis) {
    super();
  }

  get key(): Buffer {
    return Buffer.from(this.hex, "hex");
  }

  get id(): string {
    return createHash("sha256").update(this.hex).digest("hex").slice(0, 8);
  }

  async subscribe(sub: Redis): Promise<void> {
    await sub.subscribe(keys.cookieKeyChanged, () => void this.load().catch(() => {}));
  }

  /** Reads the cluster's key (making it when there is none); `rotated` when it differs from the one held. */
  async load(): Promise<void> {
    await this.redis.set(keys.cookieKey, randomBytes(32).toString("hex"), { NX: true });
    const next = await this.redis.get(keys.cookieKey);
    if (!next || !KEY_FORMAT.test(next) || next === this.hex) return;
    this.hex = next;
    const first = !this.loaded;
    this.loaded = true;
    if (!first) this.emit("rotated");
  }

  /** A new key for the whole cluster (the CLI); every node ends every login session. */
  static async rotate(redis: Redis): Promise<void> {
    await redis.set(keys.cookieKey, randomBytes(32).toString("hex"));
    await redis.publish(keys.cookieKeyChanged, "1");
  }

  watch(): void {}

  close(): void {}
}
