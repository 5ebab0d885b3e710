import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keys } from "../../../lib/cluster/keys.ts";
import { Liveness } from "../../../lib/cluster/liveness.ts";
import { closeClient, redisClient, type Redis } from "../../../lib/cluster/redis.ts";
import { TestRedis } from "../../helpers/redis.ts";
import { freshName, until } from "../../helpers/tmux.ts";

// Node heartbeats on a real redis-server. The TTL is a minute, so a node shown offline here was
// shown so by its leave, never by its key expiring.
const redis = new TestRedis();
const clients: Redis[] = [];

async function node(name: string, offlineAfterMs = 60_000): Promise<Liveness> {
  const c = redisClient(redis.url, freshName(name));
  await c.connect();
  clients.push(c);
  return new Liveness(c, name, { offlineAfterMs, offlineTtlMs: 600_000, version: "test", panes: () => 0, clients: () => 0 });
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

  it("announces a node's first heartbeat, so a node that joins and stops between two scans of another is seen go offline", async () => {
    const [alphaName, gammaName] = [freshName("alpha"), freshName("gamma")];
    // alpha scans every 200 s: longer than any wait here, so only the notice can show it gamma.
    const alpha = await node(alphaName, 600_000);
    alpha.start();
    await alpha.tick();
    const flips: Array<[string, boolean]> = [];
    alpha.on("transition", (name, online) => flips.push([name, online]));
    // What the cluster does on a join or leave notice (lib/cluster/cluster.ts): read the heartbeats now.
    const sub = redisClient(redis.url, freshName("sub"));
    await sub.connect();
    clients.push(sub);
    await sub.subscribe([keys.joined, keys.leaving], (name) => name !== alphaName && void alpha.tick());

    const gamma = await node(gammaName);
    gamma.start();
    await until(() => alpha.list().find((n) => n.name === gammaName)?.online, "gamma online on alpha");
    await gamma.stop();
    await until(() => flips.length > 0, "gamma's leave seen on alpha");
    expect(flips).toEqual([[gammaName, false]]);
    await alpha.stop();
  });
});
