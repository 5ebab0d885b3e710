import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClusterBus } from "../../lib/cluster/bus.ts";
import { CommandClient } from "../../lib/cluster/command-client.ts";
import { CommandServer } from "../../lib/cluster/command-server.ts";
import type { LocalCommands } from "../../lib/cluster/commands.ts";
import { keys } from "../../lib/cluster/keys.ts";
import { closeClient, redisClient, type Redis } from "../../lib/cluster/redis.ts";
import { PanecastError } from "../../lib/errors.ts";
import { PaneNotFound } from "../../lib/tmux/errors.ts";
import { TestRedis } from "../helpers/redis.ts";
import { until } from "../helpers/tmux.ts";

const redis = new TestRedis();
const clients: Redis[] = [];

async function client(name: string): Promise<Redis> {
  const c = redisClient(redis.url, name);
  await c.connect();
  clients.push(c);
  return c;
}

async function bus(node: string): Promise<ClusterBus> {
  return new ClusterBus(await client(`${node}-main`), await client(`${node}-sub`));
}

/** A node that asks others. */
async function commands(node: string, timeoutMs: number): Promise<CommandClient> {
  const b = await bus(`${node}-asking`);
  const c = new CommandClient(b, node, timeoutMs);
  await b.listen();
  return c;
}

/** A node that runs what others ask of its panes. */
async function serve(node: string, local: LocalCommands): Promise<void> {
  const b = await bus(`${node}-serving`);
  new CommandServer(b, node, local, null);
  await b.listen();
}

beforeAll(() => redis.start());
afterAll(async () => {
  for (const c of clients) await closeClient(c);
  await redis.stop();
});

const asker = { token: "ops", role: "operator" as const };
const unanswerable = async (): Promise<never> => {
  throw new PanecastError("STALE_PROMPT", "no prompt here");
};

describe("commands between nodes over Redis", () => {
  it("runs a send on the owning node and brings back its answer, naming the asker there", async () => {
    const seen: unknown[] = [];
    await serve("owner1", {
      answer: unanswerable,
      send: async (req, who) => {
        seen.push({ req, who });
        return { verified: true, attempts: 1, keysSent: 0, enterSent: true, bytes: 2 };
      },
      history: async () => ["one", "two"],
      keys: async (pane, input, who) => {
        seen.push({ pane, input, who });
        return input.length;
      },
    });
    const asking = await commands("asker1", 5000);
    expect(await asking.send("owner1", { pane: "%3", text: "hi", enter: true }, asker)).toMatchObject({ verified: true, enterSent: true });
    expect(seen).toEqual([{ req: { pane: "%3", text: "hi", enter: true }, who: { node: "asker1", token: "ops", role: "operator" } }]);
    expect(await asking.history("owner1", "%3", 10, asker)).toEqual(["one", "two"]);
    expect(await asking.keys("owner1", "%3", [{ key: "BTab" }, { text: "ok" }], asker)).toBe(2);
    expect(seen[1]).toEqual({ pane: "%3", input: [{ key: "BTab" }, { text: "ok" }], who: { node: "asker1", token: "ops", role: "operator" } });
  });

  it("refuses on the owning node keys outside the grammar, even when the asking node sent them", async () => {
    let ran = 0;
    await serve("owner5", { answer: unanswerable, send: async () => ({ verified: true, attempts: 1, keysSent: 0, enterSent: false, bytes: 0 }), history: async () => [], keys: async () => ++ran });
    const asking = await commands("asker5", 300);
    // The owning node drops the malformed command unanswered: the asker times out, and nothing ran.
    await expect(asking.keys("owner5", "%1", [{ key: "send-keys;kill-server" }], asker)).rejects.toMatchObject({ code: "NODE_UNAVAILABLE" });
    expect(ran).toBe(0);
  });

  it("carries the owning node's coded error back", async () => {
    await serve("owner2", {
      answer: unanswerable,
      send: async () => {
        throw new PaneNotFound("%9");
      },
      history: async () => [],
      keys: async () => 0,
    });
    const asking = await commands("asker2", 5000);
    await expect(asking.send("owner2", { pane: "%9", text: "x" }, asker)).rejects.toMatchObject({ code: "PANE_NOT_FOUND" });
  });

  it("answers NODE_UNAVAILABLE at once for a node nobody listens for, and after the timeout for one that never answers", async () => {
    const asking = await commands("asker3", 300);
    await expect(asking.send("nobody", { pane: "%1", text: "x" }, asker)).rejects.toMatchObject({ code: "NODE_UNAVAILABLE" });
    await serve("stuck", { answer: () => new Promise(() => {}), send: () => new Promise(() => {}), history: () => new Promise(() => {}), keys: () => new Promise(() => {}) });
    await expect(asking.send("stuck", { pane: "%1", text: "x" }, asker)).rejects.toMatchObject({ code: "NODE_UNAVAILABLE" });
  });

  it("ignores a malformed command and still serves the next one", async () => {
    let sends = 0;
    await serve("owner4", {
      answer: unanswerable,
      send: async () => {
        sends++;
        return { verified: true, attempts: 1, keysSent: 0, enterSent: false, bytes: 1 };
      },
      history: async () => [],
      keys: async () => 0,
    });
    const raw = await client("raw");
    await raw.publish(keys.commands("owner4"), JSON.stringify({ id: "x", from: "evil", cmd: { kind: "send", pane: "%1;kill-server" } }));
    await raw.publish(keys.commands("owner4"), "not json");
    const asking = await commands("asker4", 5000);
    await asking.send("owner4", { pane: "%1", text: "y" }, asker);
    expect(sends).toBe(1);
  });

  it("carries a one-tap answer to the owning node, which checks the prompt there (STALE_PROMPT comes back)", async () => {
    const asked: unknown[] = [];
    await serve("owner6", {
      send: async () => ({ verified: true, attempts: 1, keysSent: 0, enterSent: false, bytes: 0 }),
      history: async () => [],
      keys: async () => 0,
      answer: async (req, who) => {
        asked.push({ req, who });
        if (req.promptHash !== "0123abcd") throw new PanecastError("STALE_PROMPT", "the screen no longer shows that prompt");
        return { outcome: "answered", label: "Yes", keys: ["Enter"] };
      },
    });
    const asking = await commands("asker6", 5000);
    const req = { pane: "%4", itemId: "00000000-0000-4000-8000-000000000000", choice: 0, promptHash: "0123abcd" };
    expect(await asking.answer("owner6", req, asker)).toEqual({ outcome: "answered", label: "Yes", keys: ["Enter"] });
    expect(asked[0]).toEqual({ req, who: { node: "asker6", token: "ops", role: "operator" } });
    await expect(asking.answer("owner6", { ...req, promptHash: "ffffffff" }, asker)).rejects.toMatchObject({ code: "STALE_PROMPT" });
  });

  it("takes a reply only from the node it asked: a forged reply naming the command's id is ignored", async () => {
    const raw = await client("forger");
    let release: (() => void) | null = null;
    await serve("owner7", {
      answer: unanswerable,
      send: () =>
        new Promise((resolve) => {
          release = () => resolve({ verified: false, attempts: 1, keysSent: 0, enterSent: false, bytes: 1 });
        }),
      history: async () => [],
      keys: async () => 0,
    });
    // Read the command's id off the owner's channel, as anyone with Redis access could.
    const spy = await client("spy");
    const ids: string[] = [];
    await spy.subscribe(keys.commands("owner7"), (m) => ids.push((JSON.parse(m) as { id: string }).id));
    const asking = await commands("asker7", 5000);
    const result = asking.send("owner7", { pane: "%1", text: "y" }, asker);
    const id = await until(() => ids[0], "the command on the owner's channel");
    const ready = await until(() => release, "the send running on the owner");
    await raw.publish(keys.replies("asker7"), JSON.stringify({ id, from: "evil", data: { verified: true, attempts: 1, keysSent: 0, enterSent: true, bytes: 1 } }));
    await raw.publish(keys.replies("asker7"), JSON.stringify({ id, data: { verified: true, attempts: 1, keysSent: 0, enterSent: true, bytes: 1 } }));
    ready();
    expect(await result).toMatchObject({ verified: false });
  });
});
