import { createClient } from "redis";
import { log } from "../log.ts";

export type Redis = ReturnType<typeof createClient>;

/**
 * A node-redis client that never gives up: it reconnects every second at most, and while it is
 * disconnected commands fail at once (no offline queue), so nothing piles up while Redis is down.
 * Errors are logged once per outage, never thrown at the process.
 */
export function redisClient(url: string, name: string): Redis {
  const client = createClient({
    url,
    name: `panecast-${name}`.slice(0, 64),
    disableOfflineQueue: true,
    socket: { connectTimeout: 2000, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000) },
  });
  let down = false;
  client.on("error", (err: unknown) => {
    if (down) return;
    down = true;
    log.warn({ err: err instanceof Error ? err.message : String(err), client: name }, "redis unreachable; retrying");
  });
  client.on("ready", () => {
    if (down) log.info({ client: name }, "redis reachable again");
    down = false;
  });
  return client;
}

/** Starts connecting without waiting: the first connection may come long after start. */
export function connectInBackground(client: Redis): void {
  client.connect().catch((err: unknown) => log.warn({ err: err instanceof Error ? err.message : String(err) }, "redis connect failed"));
}

/** Closes a client whatever its state. */
export async function closeClient(client: Redis): Promise<void> {
  if (!client.isOpen) return;
  // Reconnecting (Redis down): quit would wait for a connection that may never come.
  if (!client.isReady) return void (await client.disconnect().catch(() => {}));
  await client.quit().catch(() => client.disconnect().catch(() => {}));
}
