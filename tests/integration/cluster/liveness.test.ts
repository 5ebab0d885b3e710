import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keys } from "../../../lib/cluster/keys.ts";
import { Liveness } from "../../../lib/cluster/liveness.ts";
import { closeClient, redisClient, type Redis } from "../../../lib/cluster/redis.ts";
import { TestRedis } from "../../helpers/redis.ts";
import { freshName } from "../../helpers/tmux.ts";

// Node heartbeats on a real redis-server. The TTL is a minute, so a node shown offline here was
// shown so by its leave, never by its key expiring.
const redis = new TestRedis();
const clients: Redis[] = [];

async function node(name: string): Promise<Liveness> {
  const c = redisClient(redis.url, freshName(name));
  await c.connect();
  clients.push(c);
  return new Liveness(c, name, { offlineAfterMs: 60_000, offlineTtlMs: 600_000, version: "test", panes: () => 0, clients: () => 0 });
}

beforeAll(() => redis.start());
afterAll(async () => {
  for (const c of clients) await closeClient(c);
  await redis.stop();
});

describe("node heartbeats", () => {
  it("a node that stops stays gone: a beat asked for after its leave (its own leave notice) does not bring its key back", async () => {
    const [alphaName, betaName] = [freshName("alpha"), freshName("beta")];
    const alpha = await node(alphaName);
    const beta = await node(betaName);
    alpha.start();
    beta.start();
    await beta.tick();
    await alpha.tick();
    expect(alpha.list().find((n) => n.name === betaName)?.online).toBe(true);

    await beta.stop();
    // What beta's own subscription to the leave channel used to do on hearing its own notice.
    await beta.tick();
    const probe = clients[0]!;
    expect(await probe.exists(keys.alive(betaName))).toBe(0);
    await alpha.tick();
    expect(alpha.list().find((n) => n.name === betaName)?.online).toBe(false);
    await alpha.stop();
  });
});
