import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../../lib/app.ts";
import { keys } from "../../../lib/cluster/keys.ts";
import { closeClient, redisClient, type Redis } from "../../../lib/cluster/redis.ts";
import type { NeedsYouItem, NeedsYouPayload } from "../../../lib/protocol.ts";
import { agentCommand } from "../../helpers/agent-script.ts";
import { TestRedis } from "../../helpers/redis.ts";
import { client, startPanecast, type TestClient } from "../../helpers/server.ts";
import { TestTmux, until } from "../../helpers/tmux.ts";

// The needs-you queue once per cluster, on real tmux, redis-server and two real nodes: every node's
// items on every node's page, answered from any node through the owning one (STALE_PROMPT there too),
// kept across restarts of either node, marked offline with their node; and what a node reads from
// Redis checked before use (a forged node is never sent to).

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/needs-you");
const redis = new TestRedis();
const tmuxA = new TestTmux();
const tmuxB = new TestTmux();
const scratch = { alpha: mkdtempSync(path.join(tmpdir(), "panecast-cny-a-")), beta: mkdtempSync(path.join(tmpdir(), "panecast-cny-b-")) };
let a: { app: PanecastApp; url: string };
let b: { app: PanecastApp; url: string };
let admin: string;
let config: string;
let raw: Redis;
const open: TestClient[] = [];

function node(name: "alpha" | "beta"): Promise<{ app: PanecastApp; url: string }> {
  const dir = scratch[name];
  return startPanecast(name === "alpha" ? tmuxA : tmuxB, ["--config", config], {
    PANECAST_AUTH: "on",
    PANECAST_TOKENS: path.join(dir, "tokens.json"),
    PANECAST_DATA_DIR: dir,
    PANECAST_AUDIT: path.join(dir, "audit.jsonl"),
    PANECAST_NODE: name,
    PANECAST_REDIS_URL: redis.url,
  });
}

async function as(url: string): Promise<TestClient> {
  const c = await client(url, { token: admin });
  const r = await c.emitWithAck("subscribe", {});
  if (!("data" in r)) throw new Error(`subscribe failed: ${r.error.code}`);
  open.push(c);
  return c;
}

function queueUntil(c: TestClient, check: (q: NeedsYouPayload) => boolean, what: string): Promise<NeedsYouPayload> {
  return until(() => {
    const q = c.needsYou();
    return q && check(q) ? q : null;
  }, what);
}

const openItem = (q: NeedsYouPayload, pane: string): NeedsYouItem | undefined => q.open.find((i) => i.pane === pane);

let attempt = 0;
/** A session on alpha running a prompt script as an agent; its cluster id, once alpha queued it. */
async function alphaPrompt(base: string, script = "yes-no.sh"): Promise<{ local: string; pane: string }> {
  const local = await tmuxA.newSession(`${base}-${++attempt}`, { command: agentCommand(path.join(FIXTURES, script)) });
  const pane = `alpha/${local}`;
  await until(() => a.app.needsYou.item(pane)?.promptHash, `${base}'s prompt in alpha's queue`);
  return { local, pane };
}

async function auditOf(app: PanecastApp): Promise<Array<Record<string, unknown>>> {
  await app.auth.audit.flush();
  return readFileSync(app.config.audit.path, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
}

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "panecast-cny-cfg-"));
  config = path.join(dir, "panecast.yaml");
  writeFileSync(config, String.raw`agents:
  rules:
    shell:
      waiting: ['\[y/n\]\s*$']
needs_you:
  verify_timeout_ms: 2000
`);
  await redis.start();
  raw = redisClient(redis.url, "test-raw");
  await raw.connect();
  await tmuxA.newSession("alpha-idle");
  await tmuxB.newSession("beta-idle");
  a = await node("alpha");
  admin = a.app.bootstrapToken!;
  b = await node("beta");
  await until(() => a.app.cluster!.nodes().some((n) => n.name === "beta" && n.online) && b.app.cluster!.nodes().some((n) => n.name === "alpha" && n.online), "each node sees the other");
}, 30_000);

afterAll(async () => {
  for (const c of open) c.close();
  await a?.app.close();
  await b?.app.close();
  if (raw) await closeClient(raw);
  await Promise.all([tmuxA.kill(), tmuxB.kill(), redis.stop()]);
});

describe("the needs-you queue across the cluster", () => {
  it("shows alpha's waiting pane on beta's page with its node, answers it from beta through alpha, and resolves it everywhere", async () => {
    const cb = await as(b.url);
    const ca = await as(a.url);
    const { local, pane } = await alphaPrompt("answer-from-beta");
    const shown = await queueUntil(cb, (q) => !!openItem(q, pane), "alpha's item on beta's page");
    const item = openItem(shown, pane)!;
    expect(item).toMatchObject({ node: "alpha", state: "waiting-for-input", line: "Deploy now? [y/n]" });
    expect(item.id).toBe(a.app.needsYou.item(pane)!.id);
    expect(item.offline).toBeUndefined();

    const r = await cb.emitWithAck("pane:answer", { pane, itemId: item.id, choice: 0, promptHash: item.promptHash! });
    expect(r).toEqual({ data: { outcome: "answered", label: "Yes", keys: ["y", "Enter"] } });
    await until(async () => (await tmuxA.capture(local)).includes("answer: y"), "the script on alpha read y");
    // Resolved by its owner, on both pages, with the answer recorded.
    for (const c of [ca, cb]) {
      const q = await queueUntil(c, (p) => !openItem(p, pane) && p.resolved.some((i) => i.id === item.id), "the item resolved");
      expect(q.resolved.find((i) => i.id === item.id)?.answer).toMatchObject({ outcome: "answered", label: "Yes" });
    }
    // Audited on alpha, where it was typed, naming the node it came through.
    expect(await auditOf(a.app)).toContainEqual(expect.objectContaining({ event: "send", remote: "node:beta", target: pane, outcome: "answered", keys: ["y", "Enter"] }));
  });

  it("refuses with STALE_PROMPT from beta when alpha's screen shows another prompt, and types nothing", async () => {
    const cb = await as(b.url);
    const { local, pane } = await alphaPrompt("stale-from-beta", "two-questions.sh");
    const first = openItem(await queueUntil(cb, (q) => !!openItem(q, pane)?.promptHash, "the first question on beta"), pane)!;
    await tmuxA.tmux("send-keys", "-t", local, "y", "Enter");
    await until(async () => (await tmuxA.capture(local)).includes("Also migrate the database? [y/n]"), "the second question");
    await until(() => a.app.needsYou.prompt(pane)?.question?.includes("migrate"), "alpha sees the new prompt");
    const r = await cb.emitWithAck("pane:answer", { pane, itemId: first.id, choice: 1, promptHash: first.promptHash! });
    expect(r).toMatchObject({ error: { code: "STALE_PROMPT" } });
    expect(await tmuxA.capture(local)).not.toMatch(/database\? \[y\/n\] n/);
    expect(await auditOf(a.app)).toContainEqual(expect.objectContaining({ remote: "node:beta", target: pane, outcome: "stale" }));
  });

  it("keeps items across a restart of either node, marks an offline node's items offline (not answerable), and clears the mark when it is back", async () => {
    const { pane } = await alphaPrompt("survives");
    const id = a.app.needsYou.item(pane)!.id;
    // beta restarts: it reads alpha's items back from Redis.
    await b.app.close();
    b = await node("beta");
    const cb = await as(b.url);
    expect(openItem(await queueUntil(cb, (q) => !!openItem(q, pane), "alpha's item on the restarted beta"), pane)!.id).toBe(id);

    // alpha stops: beta keeps its item, marked offline, and refuses to answer it.
    await a.app.close();
    const down = openItem(await queueUntil(cb, (q) => openItem(q, pane)?.offline === true, "the item marked offline"), pane)!;
    expect(down.id).toBe(id);
    const refused = await cb.emitWithAck("pane:answer", { pane, itemId: id, choice: 0, promptHash: down.promptHash! });
    expect(refused).toMatchObject({ error: { code: "NODE_UNAVAILABLE" } });

    // alpha is back: the same item (its state directory and the live pane agree), no longer offline.
    a = await node("alpha");
    const back = openItem(await queueUntil(cb, (q) => openItem(q, pane)?.offline === undefined && !!openItem(q, pane), "the item back online"), pane)!;
    expect(back.id).toBe(id);
  }, 40_000);
});

describe("what a node reads from Redis is checked", () => {
  const pane = (id: string) => ({ id, index: 0, sessionId: "$1", sessionName: "forged", windowId: "@1", windowIndex: 0, title: "", command: "bash", agentType: "shell", agentId: null, width: 80, height: 24, active: true, dead: false, pid: null, cwd: "/", options: {} });
  const topology = (paneId: string, sessionId = "$1") => JSON.stringify({ sessions: [{ id: sessionId, name: "forged", attached: 0, windows: [{ id: "@1", index: 0, name: "w", active: true, panes: [pane(paneId)] }] }] });

  it("skips forged node names and ids, and refuses a send to a node that is no member (never audited delivered)", async () => {
    // alpha may have just restarted (the test above): its update stream is followed once it has read
    // beta's panes, and an entry written before that would be behind the position it starts from.
    await until(() => a.app.cluster!.source.topology.sessions.some((s) => s.id.startsWith("beta/")), "alpha following the cluster");
    // Damaged or forged entries first, then a well-formed node that never heartbeats.
    await raw.set(keys.topology("evil"), topology("x/%1", "x/$1"));
    await raw.xAdd(keys.updates, "*", { n: "evil", k: "r" });
    await raw.set(keys.topology("bad name"), topology("%1"));
    await raw.xAdd(keys.updates, "*", { n: "bad name", k: "r" });
    await raw.xAdd(keys.updates, "*", { n: "../../x", k: "x", d: JSON.stringify("%1;kill-server") });
    await raw.set(keys.topology("ghost"), topology("%1"));
    await raw.hSet(keys.frames("ghost"), "%1", JSON.stringify({ seq: 1, lines: ["$ "], hash: 1, width: 80, height: 24 }));
    await raw.xAdd(keys.updates, "*", { n: "ghost", k: "r" });
    await until(() => a.app.cluster!.source.locate("ghost/%1"), "ghost's forged pane (well-formed) read");
    const ids = a.app.cluster!.source.topology.sessions.map((s) => s.id);
    expect(ids.some((id) => id.startsWith("evil/") || id.startsWith("bad name/"))).toBe(false);

    // Whoever listens on ghost's channel never hears the send, and the audit says it failed.
    const spy = redisClient(redis.url, "spy");
    await spy.connect();
    const heard: string[] = [];
    await spy.subscribe(keys.commands("ghost"), (m) => heard.push(m));
    const ca = await as(a.url);
    const r = await ca.emitWithAck("pane:send", { pane: "ghost/%1", text: "rm -rf ~" });
    expect(r).toMatchObject({ error: { code: "NODE_UNAVAILABLE" } });
    expect(heard).toEqual([]);
    const lines = (await auditOf(a.app)).filter((l) => l.target === "ghost/%1");
    expect(lines).toEqual([expect.objectContaining({ event: "send", outcome: "failed" })]);
    await closeClient(spy);
  });
});
