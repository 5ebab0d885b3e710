import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { secretHash } from "../../../lib/auth/one-time.ts";
import { keys } from "../../../lib/cluster/keys.ts";
import { RedisOneTime } from "../../../lib/cluster/one-time.ts";
import { closeClient, redisClient, type Redis } from "../../../lib/cluster/redis.ts";
import { TestRedis } from "../../helpers/redis.ts";
import { freshName } from "../../helpers/tmux.ts";

const redis = new TestRedis();
const clients: Redis[] = [];
const Value = z.object({ pane: z.string() });

async function store(): Promise<RedisOneTime<z.infer<typeof Value>>> {
  const c = redisClient(redis.url, freshName("one-time"));
  await c.connect();
  clients.push(c);
  return new RedisOneTime(c, keys.answerCap, Value);
}

beforeAll(() => redis.start());
afterAll(async () => {
  for (const c of clients) await closeClient(c);
  await redis.stop();
});

describe("single-use secrets in Redis", () => {
  it("is claimed once when several nodes race for it, and is kept under its hash with its TTL", async () => {
    const nodes = await Promise.all([store(), store(), store(), store()]);
    const h = secretHash(freshName("secret"));
    await nodes[0]!.put(h, { pane: "alpha/%1" }, 60_000);
    const ttl = await clients[0]!.pTTL(keys.answerCap(h));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    const claims = await Promise.all(nodes.map((n) => n.take(h)));
    expect(claims.filter((c) => c !== null)).toEqual([{ pane: "alpha/%1" }]);
    expect(await nodes[1]!.take(h)).toBeNull();
  });

  it("refuses what is not a hash, and a damaged value (used up all the same)", async () => {
    const [n] = await Promise.all([store()]);
    await expect(n!.put("not-a-hash", { pane: "x" }, 1000)).rejects.toThrow();
    expect(await n!.take("../x")).toBeNull();
    const h = secretHash(freshName("damaged"));
    await clients[0]!.set(keys.answerCap(h), JSON.stringify({ pane: 3 }));
    expect(await n!.take(h)).toBeNull();
    expect(await clients[0]!.exists(keys.answerCap(h))).toBe(0);
  });
});
