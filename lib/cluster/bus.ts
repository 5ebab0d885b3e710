import type { Bus } from "./commands.ts";
import type { Redis } from "./redis.ts";

/** A part that writes its state to Redis and reads the others': written and read again on every connection. */
export interface InStep {
  resync(): Promise<void>;
  /** A change made here has not reached Redis yet. */
  readonly outOfStep: boolean;
}

/**
 * Redis pub/sub for the cluster's parts, and the parts kept in step with Redis. A part subscribes
 * (and asks to be kept in step) in its constructor, whenever it is built;
 * the subscription is made once the subscriber connection is up (`listen`, on every connection, makes
 * those not made yet: node-redis subscribes again by itself after a reconnect), each exactly once, so
 * a retry after a partial failure never adds a second listener (a command would run twice).
 */
export class ClusterBus implements Bus {
  private readonly wanted: Array<{ channel: string; listener: (message: string) => void; made: boolean }> = [];
  private listening: Promise<void> | null = null;
  private readonly parts: Array<{ part: InStep; synced: boolean }> = [];

  constructor(
    private readonly redis: Redis,
    private readonly sub: Redis,
  ) {}

  publish(channel: string, message: string): Promise<number> {
    return this.redis.publish(channel, message);
  }

  subscribe(channel: string, listener: (message: string) => void): void {
    this.wanted.push({ channel, listener, made: false });
    // Built after this node connected: subscribed at once (a failure is retried by the next `listen`).
    if (this.sub.isReady) this.listen().catch(() => {});
  }

  /** Writes the part's state and reads the others' on every connection (a part built after one: at the next check). */
  keepInStep(part: InStep): void {
    this.parts.push({ part, synced: false });
  }

  /** Whether a subscription is not made yet, or a part is not in step. */
  get outOfStep(): boolean {
    return this.wanted.some((w) => !w.made) || this.parts.some((p) => !p.synced || p.part.outOfStep);
  }

  /** Resyncs every part (the cluster's resync after connecting, once the heartbeat is written). */
  async resync(): Promise<void> {
    for (const p of this.parts) {
      await p.part.resync();
      p.synced = true;
    }
  }

  /** Makes the subscriptions not made yet; one run at a time. */
  listen(): Promise<void> {
    this.listening ??= (async () => {
      try {
        for (const w of this.wanted) {
          if (w.made) continue;
          await this.sub.subscribe(w.channel, w.listener);
          w.made = true;
        }
      } finally {
        this.listening = null;
      }
    })();
    return this.listening;
  }
}
