import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keys } from "../../../lib/cluster/keys.ts";
import { closeClient, redisClient, type Redis } from "../../../lib/cluster/redis.ts";
import { RemoteStore } from "../../../lib/cluster/remote.ts";
import type { Topology } from "../../../lib/protocol.ts";
import { allPanes } from "../../../lib/topology.ts";
import { TestRedis } from "../../helpers/redis.ts";
import { until } from "../../helpers/tmux.ts";

// What other nodes wrote to Redis is input like any other: a real redis-server holds forged node
// names and pane ids, and the store reading it (lib/cluster/remote.ts, load and apply) skips them.

const redis = new TestRedis();
let main: Redis;
let reader: Redis;
let store: RemoteStore;

const pane = { id: "%3", index: 0, sessionId: "$1", sessionName: "s", windowId: "@2", windowIndex: 0, title: "", command: "bash", agentType: "shell" as const, agentId: null, width: 80, height: 24, active: true, dead: false, pid: null, cwd: "/", options: {} };
const topo = (id = "%3"): Topology => ({ sessions: [{ id: "$1", name: "s", attached: 0, windows: [{ id: "@2", index: 0, name: "w", active: true, panes: [{ ...pane, id }] }] }] });
const frame = (seq: number, line: string) => JSON.stringify({ seq, lines: [line], hash: seq, width: 80, height: 24 });
const update = (p: string, seq: number, line: string) => JSON.stringify({ pane: p, seq, base: 0, delta: { kind: "full", lines: [line] }, hash: seq, width: 80, height: 24 });

beforeAll(async () => {
  await redis.start();
  main = redisClient(redis.url, "test-main");
  reader = redisClient(redis.url, "test-reader");
  await Promise.all([main.connect(), reader.connect()]);
  // Planted before the store reads: a node named like a path, and a frame under a command-like id.
  await main.set(keys.topology("good"), JSON.stringify(topo()));
  await main.hSet(keys.frames("good"), { "%3": frame(1, "before"), "%1;kill-server": frame(1, "forged") });
  await main.set(keys.topology("../evil"), JSON.stringify(topo()));
  await main.set(keys.topology("mixed"), JSON.stringify(topo("other/%3")));
  store = new RemoteStore(main, reader, "self", async () => ["good", "../evil", "evil node", "mixed", "self"]);
  store.start();
  await until(() => store.nodes.get("good")?.frames.get("%3"), "the good node loaded");
}, 30_000);

afterAll(async () => {
  await store?.stop();
  await Promise.all([closeClient(main), closeClient(reader)]);
  await redis.stop();
});

describe("RemoteStore reads only well-formed node names and pane ids", () => {
  it("loads a node's own ids only: no node named like a path, no topology naming another node's panes, no frame under a malformed id", () => {
    expect([...store.nodes.keys()]).toEqual(["good"]);
    expect([...store.nodes.get("good")!.frames.keys()]).toEqual(["%3"]);
  });

  it("skips forged stream entries (a node name with a space, foreign or malformed pane ids) and applies the genuine one after them", async () => {
    const add = (n: string, k: string, d: string) => main.xAdd(keys.updates, "*", { n, k, d });
    await add("evil node", "t", JSON.stringify(topo()));
    await add("good", "u", update("beta/%3", 9, "foreign"));
    await add("good", "u", update("%3;kill-server", 9, "malformed"));
    await add("good", "t", JSON.stringify(topo("evil/%3")));
    await add("good", "x", JSON.stringify("%3;x"));
    await add("self", "t", JSON.stringify(topo("%9")));
    await add("good", "u", update("%3", 5, "after"));
    const good = await until(() => (store.nodes.get("good")?.frames.get("%3")?.seq === 5 ? store.nodes.get("good") : null), "the genuine update applied");
    expect(good.frames.get("%3")!.lines).toEqual(["after"]);
    expect([...good.frames.keys()]).toEqual(["%3"]);
    expect(allPanes(good.topology).map((p) => p.id)).toEqual(["%3"]);
    expect([...store.nodes.keys()]).toEqual(["good"]);
  });
});
