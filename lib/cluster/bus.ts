import type { Bus } from "./commands.ts";
import type { Redis } from "./redis.ts";

/**
 * Redis pub/sub for the cluster's parts. A part subscribes in its constructor, whenever it is built;
 * the subscription is made once the subscriber connection is up (`listen`, on every connection, makes
 * those not made yet: node-redis subscribes again by itself after a reconnect), each exactly once, so
 * a retry after a partial failure never adds a second listener (a command would run twice).
 */
export class ClusterBus implements Bus {
  private readonly wanted: Array<{ channel: string; listener: (message: string) => void; made: boolean }> = [];
  private listening: Promise<void> | null = null;

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

  /** Whether a subscription is not made yet. */
  get outOfStep(): boolean {
    return this.wanted.some((w) => !w.made);
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
