import type { Redis } from "./redis.ts";

export interface StreamFollower {
  /** The stream's key. */
  key: string;
  /** Whether to stop (checked before every round and after a failure). */
  stopped(): boolean;
  /** Runs before each read, once both clients are ready: loads a snapshot when one is due, writes what was held. */
  prepare(): Promise<void>;
  /** The entry id to read after. */
  position(): string;
  /** One entry, in stream order; it moves the position on. */
  onEntry(id: string, message: Record<string, string>): void | Promise<void>;
  /** A read or `prepare` failed (Redis went away mid-round); the loop retries after 200 ms. */
  onError(err: unknown): void;
}

/**
 * Follows a Redis stream on a client of its own (blocking reads must not hold up the commands of
 * `redis`): waits while either client is not ready, prepares, reads up to 500 entries after the
 * position for at most 500 ms, and hands them over in order, until stopped. Both cluster streams
 * (pane updates, events) are followed this way.
 */
export async function followStream(reader: Redis, redis: Redis, f: StreamFollower): Promise<void> {
  while (!f.stopped()) {
    try {
      if (!reader.isReady || !redis.isReady) {
        await sleep(100);
        continue;
      }
      await f.prepare();
      const got = await reader.xRead({ key: f.key, id: f.position() }, { BLOCK: 500, COUNT: 500 });
      for (const stream of got ?? []) {
        for (const { id, message } of stream.messages) await f.onEntry(id, message);
      }
    } catch (err) {
      if (f.stopped()) break;
      f.onError(err);
      await sleep(200);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
