import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClusterBus } from "../../../lib/cluster/bus.ts";
import { closeClient, redisClient, type Redis } from "../../../lib/cluster/redis.ts";
import { TestRedis } from "../../helpers/redis.ts";
import { freshName, until } from "../../helpers/tmux.ts";

// The cluster's pub/sub on a real redis-server: parts subscribe when they are built, before or
// after the connection is up, and each subscription is made exactly once.
const redis = new TestRedis();
const clients: Redis[] = [];

function client(): Redis {
  const c = redisClient(redis.url, freshName("bus"));
  clients.push(c);
  return c;
}

beforeAll(() => redis.start());
afterAll(async () => {
  for (const c of clients) await closeClient(c);
  await redis.stop();
});

describe("cluster bus", () => {
  it("makes a subscription asked for before connecting once the connection is up, once however often it listens", async () => {
    const [main, sub] = [client(), client()];
    const bus = new ClusterBus(main, sub);
    const channel = freshName("early");
    const heard: string[] = [];
    bus.subscribe(channel, (m) => heard.push(m));
    expect(bus.outOfStep).toBe(true);
    await main.connect();
    await sub.connect();
    await Promise.all([bus.listen(), bus.listen()]);
    await bus.listen();
    expect(bus.outOfStep).toBe(false);
    expect(await bus.publish(channel, "one")).toBe(1);
    await until(() => heard.length > 0, "the message");
    expect(heard).toEqual(["one"]);
  });

  it("subscribes a part built after the connection is up at once, and keeps parts in step until they resynced", async () => {
    const [main, sub] = [client(), client()];
    await main.connect();
    await sub.connect();
    const bus = new ClusterBus(main, sub);
    const channel = freshName("late");
    const heard: string[] = [];
    bus.subscribe(channel, (m) => heard.push(m));
    await until(async () => (await bus.publish(channel, "hi")) === 1, "the late subscription made");
    await until(() => heard.length > 0, "the message");
    let resyncs = 0;
    bus.keepInStep({ resync: async () => void resyncs++, outOfStep: false });
    expect(bus.outOfStep).toBe(true);
    await bus.resync();
    expect(resyncs).toBe(1);
    expect(bus.outOfStep).toBe(false);
  });
});
