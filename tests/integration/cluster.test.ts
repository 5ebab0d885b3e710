import { mkdtempSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../lib/app.ts";
import { applyDelta } from "../../lib/panes/diff.ts";
import type { FleetEvent, NodeInfo, PaneAlert, PaneUpdate, Topology } from "../../lib/protocol.ts";
import { NodeProcess } from "../helpers/node-process.ts";
import { TestRedis } from "../helpers/redis.ts";
import { client, startPanecast, type TestClient } from "../helpers/server.ts";
import { TestTmux, until } from "../helpers/tmux.ts";

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, "../../bin/panecast.js");
const redis = new TestRedis();
const tmuxA = new TestTmux();
const tmuxB = new TestTmux();
let a: { app: PanecastApp; url: string };
let b: { app: PanecastApp; url: string };
let admin: string;
let paneA: string;
let paneB: string;
const auditB = path.join(mkdtempSync(path.join(tmpdir(), "panecast-audit-")), "audit.jsonl");

function node(name: string, tmux: TestTmux, audit?: string): Promise<{ app: PanecastApp; url: string }> {
  const scratch = mkdtempSync(path.join(tmpdir(), "panecast-tokens-"));
  return startPanecast(tmux, [], {
    PANECAST_AUTH: "on",
    PANECAST_TOKENS: path.join(scratch, "tokens.json"),
    PANECAST_NODE: name,
    PANECAST_REDIS_URL: redis.url,
    ...(audit ? { PANECAST_AUDIT: audit } : {}),
  });
}

/** A client's view of every pane's screen, kept by applying the updates it receives. */
function screens(c: TestClient, first: { topology: Topology; updates: PaneUpdate[] }): { lines: Map<string, string[]>; topology: () => Topology } {
  const lines = new Map<string, string[]>();
  let topology = first.topology;
  const apply = (u: PaneUpdate) => lines.set(u.pane, applyDelta(lines.get(u.pane) ?? [], u.delta));
  first.updates.forEach(apply);
  c.pushes.on("pane:updated", apply);
  c.pushes.on("topology:updated", (t) => (topology = t.topology));
  return { lines, topology: () => topology };
}

async function subscribed(url: string, token = admin) {
  const c = await client(url, { token });
  const r = await c.emitWithAck("subscribe", {});
  if (!("data" in r)) throw new Error(`subscribe failed: ${r.error.code}`);
  return { c, view: screens(c, r.data) };
}

beforeAll(async () => {
  await redis.start();
  paneA = await tmuxA.newSession("alpha-work");
  paneB = await tmuxB.newSession("beta-work");
  a = await node("alpha", tmuxA);
  admin = a.app.bootstrapToken!;
  expect(admin).toMatch(/^pc_/);
  b = await node("beta", tmuxB, auditB);
  // The other node's panes arrive over Redis: both see each other before the tests start.
  await until(() => a.app.hub && a.app.cluster!.source.locate(`beta/${paneB}`), "beta's pane on alpha");
  await until(() => b.app.cluster!.source.locate(`alpha/${paneA}`), "alpha's pane on beta");
  // Beta's state for its pane (a shell: running/quiet, a pane.activity event) reaches alpha on the shared stream, after the pane.
  await until(() => a.app.cluster!.events.recent().some((e) => (e.type === "agent.status" || e.type === "pane.activity") && e.pane === `beta/${paneB}`), "beta's pane state on alpha");
}, 30_000);

afterAll(async () => {
  await a?.app.close();
  await b?.app.close();
  await tmuxA.kill();
  await tmuxB.kill();
  await redis.stop();
});

describe("a cluster of two nodes on one Redis", () => {
  it("shows a client on alpha beta's panes, ids carrying their node, and their live output", async () => {
    const { c, view } = await subscribed(a.url);
    const sessions = view.topology().sessions;
    expect(sessions.map((s) => [s.node, s.name]).sort()).toEqual([["alpha", "alpha-work"], ["beta", "beta-work"]]);
    const remote = sessions.find((s) => s.node === "beta")!.windows[0]!.panes[0]!;
    expect(remote).toMatchObject({ id: `beta/${paneB}`, node: "beta", sessionId: expect.stringMatching(/^beta\/\$\d+$/) });
    // Beta reads its own screens for agent state; alpha's clients get it with the fleet.
    expect((await c.sessions).status[`beta/${paneB}`]).toMatchObject({ pane: `beta/${paneB}`, agentType: "shell" });
    expect((await c.sessions).status[`alpha/${paneA}`]).toMatchObject({ pane: `alpha/${paneA}` });
    const alert = new Promise<PaneAlert>((resolve) => c.pushes.on("pane:alert", (al) => al.pane === `beta/${paneB}` && resolve(al)));
    await tmuxB.type(paneB, "echo live-from-$((6*7))-beta");
    await until(() => view.lines.get(`beta/${paneB}`)?.includes("live-from-42-beta"), "beta's output on alpha");
    // Beta's monitor raises the alert (a critical line); alpha's client gets it too.
    await tmuxB.type(paneB, "echo fatal-$((1+1)) out of memory");
    expect(await alert).toMatchObject({ kind: "critical", pane: `beta/${paneB}`, session: "beta-work" });
    c.disconnect();
  });

  it("types from alpha into beta's pane through beta's sender, verified, and beta audits it naming alpha", async () => {
    const { c, view } = await subscribed(a.url);
    const r = await c.emitWithAck("pane:send", { pane: `beta/${paneB}`, text: "echo sent-via-$((40+2))-alpha", enter: true });
    expect(r).toMatchObject({ data: { verified: true, enterSent: true } });
    await until(async () => (await tmuxB.capture(paneB)).includes("sent-via-42-alpha"), "the command run on beta");
    await until(() => view.lines.get(`beta/${paneB}`)?.includes("sent-via-42-alpha"), "its output back on alpha");
    await b.app.auth.audit.flush();
    const lines = (await readFile(auditB, "utf8")).trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ event: "send", token: "admin", remote: "node:alpha", target: `beta/${paneB}`, outcome: "delivered" }));
    const history = await c.emitWithAck("pane:history", { pane: `beta/${paneB}`, lines: 50 });
    expect(history).toMatchObject({ data: { pane: `beta/${paneB}`, lines: expect.any(Array) } });
    expect(await c.emitWithAck("pane:send", { pane: "beta/%999", text: "x" })).toMatchObject({ error: { code: "PANE_NOT_FOUND" } });
    c.disconnect();
  });

  it("accepts on beta a token made on alpha, and revoking it on alpha drops the socket on beta", async () => {
    const { c: adminA } = await subscribed(a.url);
    const made = await adminA.emitWithAck("token:create", { name: "ops", role: "operator" });
    if (!("data" in made)) throw new Error(made.error.message);
    await until(() => b.app.auth.tokens!.list().some((t) => t.name === "ops"), "the token known on beta");
    const onB = await client(b.url, { token: made.data.token });
    expect((await onB.hello).principal).toMatchObject({ name: "ops", role: "operator" });
    const dropped = new Promise<void>((resolve) => onB.once("disconnect", () => resolve()));
    expect(await adminA.emitWithAck("token:revoke", { name: "ops" })).toEqual({ data: { revoked: true } });
    await dropped;
    await expect(client(b.url, { token: made.data.token })).rejects.toThrow(/valid token/);
    adminA.disconnect();
  });

  it("manages the cluster's tokens with `panecast token` and PANECAST_REDIS_URL: made there, it works on a node; revoked there, its socket drops", async () => {
    const env = { ...process.env, PANECAST_REDIS_URL: redis.url, PANECAST_AUDIT: path.join(mkdtempSync(path.join(tmpdir(), "panecast-audit-")), "cli.jsonl") };
    const made = await run(process.execPath, [BIN, "token", "create", "--name", "from-cli", "--role", "viewer"], { env });
    const token = made.stdout.trim();
    expect(token).toMatch(/^pc_/);
    await until(() => b.app.auth.tokens!.list().some((t) => t.name === "from-cli"), "the CLI's token known on beta");
    const onB = await client(b.url, { token });
    expect((await onB.hello).principal).toMatchObject({ name: "from-cli", role: "viewer" });
    const listed = await run(process.execPath, [BIN, "token", "list", "--json"], { env });
    expect((JSON.parse(listed.stdout) as Array<{ name: string }>).map((t) => t.name)).toContain("from-cli");
    const dropped = new Promise<void>((resolve) => onB.once("disconnect", () => resolve()));
    await run(process.execPath, [BIN, "token", "revoke", "from-cli"], { env });
    await dropped;
  });

  it("makes the hooks' agent token in the cluster's Redis with `panecast hooks install` and PANECAST_REDIS_URL, so the node verifies it", async () => {
    const d = mkdtempSync(path.join(tmpdir(), "panecast-hooks-"));
    const env = { ...process.env, PANECAST_REDIS_URL: redis.url, PANECAST_AUDIT: path.join(d, "cli.jsonl") };
    await run(process.execPath, [BIN, "hooks", "install", "claude", "--settings", path.join(d, "settings.json"), "--data-dir", d, "--url", b.url], { env });
    const creds = JSON.parse(await readFile(path.join(d, "agent-hook.json"), "utf8")) as { url: string; token: string };
    expect((await until(() => b.app.auth.tokens!.verify(creds.token), "beta knowing the hooks' agent token")).role).toBe("agent");
  });

  it("takes an agent hook's signal for a local pane (its tmux id) on its node, and every node shows the hook's state", async () => {
    const agent = a.app.auth.tokens!.create({ name: "hook-beta", role: "agent", sessions: ["beta-work"] }).token;
    await until(() => b.app.auth.tokens!.verify(agent), "the agent token on beta");
    const { c } = await subscribed(a.url);
    const seen = new Promise<void>((resolve) => {
      c.pushes.on("agent:status", (s) => {
        if (s.pane === `beta/${paneB}` && s.state === "waiting-for-input" && s.source === "hook") resolve();
      });
    });
    const socket = (await tmuxB.tmux("display-message", "-p", "-t", paneB, "#{socket_path}")).trim();
    const res = await fetch(`${b.url}/api/agent-signals`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${agent}` },
      body: JSON.stringify({ agent: "claude", pane: paneB, socket, event: "Notification", notificationType: "permission_prompt", detail: "Claude needs your permission to use Bash" }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { accepted: true, state: "waiting-for-input" } });
    expect(b.app.awareness.monitor.status(`beta/${paneB}`)).toMatchObject({ state: "waiting-for-input", source: "hook" });
    await seen;
    c.disconnect();
  });

  it("checks sent text on the owning node too: a control character from another node is refused there and never typed", async () => {
    const before = await tmuxB.capture(paneB);
    await expect(a.app.cluster!.send({ pane: `beta/${paneB}`, text: "echo x\u0003" }, { token: "admin", role: "admin" }, () => Promise.reject(new Error("not local")))).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await tmuxB.capture(paneB)).toBe(before);
  });

  it("limits a token to its sessions on every node, remote panes included", async () => {
    const { c: adminA } = await subscribed(a.url);
    const made = await adminA.emitWithAck("token:create", { name: "alpha-only", role: "operator", sessions: ["alpha-*"] });
    if (!("data" in made)) throw new Error(made.error.message);
    await until(() => b.app.auth.tokens!.list().some((t) => t.name === "alpha-only"), "the token known on beta");
    const { c, view } = await subscribed(b.url, made.data.token);
    expect(view.topology().sessions.map((s) => s.name)).toEqual(["alpha-work"]);
    expect(await c.emitWithAck("pane:send", { pane: `beta/${paneB}`, text: "x" })).toMatchObject({ error: { code: "PANE_NOT_FOUND" } });
    expect(await c.emitWithAck("pane:history", { pane: `beta/${paneB}` })).toMatchObject({ error: { code: "PANE_NOT_FOUND" } });
    c.disconnect();
    adminA.disconnect();
  });

  it("serves every node's panes from a web-only node (tmux.enabled: false)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "panecast-web-"));
    const config = path.join(dir, "panecast.yaml");
    writeFileSync(config, "tmux:\n  enabled: false\n");
    const web = await startPanecast(tmuxA, ["--config", config], { PANECAST_AUTH: "on", PANECAST_TOKENS: path.join(dir, "tokens.json"), PANECAST_NODE: "web", PANECAST_REDIS_URL: redis.url });
    try {
      await until(() => web.app.cluster!.source.locate(`beta/${paneB}`), "beta's pane on the web node");
      const { c, view } = await subscribed(web.url);
      expect((await c.hello).tmux).toBe("up");
      expect(view.topology().sessions.map((s) => s.node).sort()).toEqual(["alpha", "beta"]);
      expect(await c.emitWithAck("pane:send", { pane: `alpha/${paneA}`, text: "echo from-web-$((7*6))", enter: true })).toMatchObject({ data: { verified: true } });
      await until(() => view.lines.get(`alpha/${paneA}`)?.includes("from-web-42"), "the send's output through the web node");
      c.disconnect();
      // It watches no tmux: ready while it reaches Redis, and its report says tmux is off.
      const ready = await fetch(`${web.url}/api/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: "ready" });
      const health = (await (await fetch(`${web.url}/api/healthz`, { headers: { authorization: `Bearer ${admin}` } })).json()) as Record<string, unknown>;
      expect(health).toMatchObject({ status: "ok", tmux: { enabled: false, reachable: false }, redis: { connected: true } });
    } finally {
      await web.app.close();
    }
  });

  it("survives a Redis outage: each node serves its own panes, shows the others unreachable, and cross-node output flows again without a restart", async () => {
    const { c, view } = await subscribed(a.url);
    const unreachable = new Promise<void>((resolve) => {
      const on = (nodes: NodeInfo[]) => {
        if (nodes.some((n) => n.name === "beta" && !n.online)) {
          a.app.cluster!.off("nodes", on);
          resolve();
        }
      };
      a.app.cluster!.on("nodes", on);
    });
    await redis.stop();
    // Redis down: alpha still serves its own panes, and shows beta as unreachable.
    await tmuxA.type(paneA, "echo own-$((4+4))-while-down");
    await until(() => view.lines.get(`alpha/${paneA}`)?.includes("own-8-while-down"), "alpha's own output while Redis is down");
    await unreachable;
    await until(() => view.topology().sessions.find((s) => s.node === "beta")?.offline, "beta's sessions marked offline on alpha");
    await redis.start();
    // Every key was lost; the nodes write their state again and alpha's client keeps its stream.
    await until(() => a.app.cluster!.nodes().find((n) => n.name === "beta")?.online, "beta online again on alpha", 15_000);
    await tmuxB.type(paneB, "echo after-$((50+5))-restart");
    await until(() => view.lines.get(`beta/${paneB}`)?.includes("after-55-restart"), "beta's output on alpha after the restart", 15_000);
    c.disconnect();
  });

  it("replays events by id across nodes and across a restart of the node asked", async () => {
    const c = await client(a.url, { token: admin });
    expect(await c.emitWithAck("events:subscribe", {})).toMatchObject({ data: { truncated: false } });
    const seen = new Promise<FleetEvent>((resolve) => {
      c.pushes.on("event", (e) => {
        if (e.type === "window.added" && e.session === "beta-work") resolve(e);
      });
    });
    await tmuxB.tmux("new-window", "-d", "-t", "beta-work", "-n", "first");
    const first = await seen;
    expect(first).toMatchObject({ id: expect.stringMatching(/^c:\d+$/), windowId: expect.stringMatching(/^beta\/@\d+$/) });
    c.disconnect();

    // Alpha restarts; meanwhile beta records another event. The new alpha replays it after `first`.
    await a.app.close();
    const second = new Promise<void>((resolve) => {
      b.app.cluster!.events.on("event", (e) => {
        if (e.type === "window.added" && (e.data as { name?: string }).name === "second") resolve();
      });
    });
    await tmuxB.tmux("new-window", "-d", "-t", "beta-work", "-n", "second");
    await second;
    a = await node("alpha", tmuxA);
    const again = await client(a.url, { token: admin });
    const r = await again.emitWithAck("events:subscribe", { since: first.id });
    if (!("data" in r)) throw new Error(r.error.message);
    expect(r.data.truncated).toBe(false);
    expect(r.data.events.map((e) => e.id)).not.toContain(first.id);
    expect(r.data.events).toContainEqual(expect.objectContaining({ type: "window.added", session: "beta-work", data: expect.objectContaining({ name: "second" }) }));
    again.disconnect();
  });

  it("shows a node that dies without a word offline once its heartbeat key expires", async () => {
    const tmuxC = new TestTmux();
    const proc = new NodeProcess();
    try {
      const paneC = await tmuxC.newSession("gamma-work");
      await proc.start(["-L", tmuxC.socketName], { PANECAST_AUTH: "on", PANECAST_NODE: "gamma", PANECAST_REDIS_URL: redis.url, PANECAST_AUDIT: path.join(mkdtempSync(path.join(tmpdir(), "panecast-audit-")), "a.jsonl") });
      await until(() => a.app.cluster!.source.locate(`gamma/${paneC}`), "gamma's pane on alpha");
      const offline = new Promise<void>((resolve) => {
        const on = (nodes: NodeInfo[]) => {
          if (nodes.some((n) => n.name === "gamma" && !n.online)) {
            a.app.cluster!.off("nodes", on);
            resolve();
          }
        };
        a.app.cluster!.on("nodes", on);
      });
      const { c } = await subscribed(a.url);
      await proc.kill();
      // Nobody listens on gamma's command channel any more: a send fails at once, before the key expires.
      expect(await c.emitWithAck("pane:send", { pane: `gamma/${paneC}`, text: "x" })).toMatchObject({ error: { code: "NODE_UNAVAILABLE" } });
      await offline;
      c.disconnect();
      expect(a.app.cluster!.source.topology.sessions.find((s) => s.node === "gamma")).toMatchObject({ offline: true });
    } finally {
      await proc.kill();
      await tmuxC.kill();
    }
  }, 20_000);

  it("shows beta offline on alpha when beta stops (panes greyed with their last screen), and back when it returns", async () => {
    const { c, view } = await subscribed(a.url);
    const offline = new Promise<NodeInfo[]>((resolve) => {
      const on = (nodes: NodeInfo[]) => {
        if (nodes.some((n) => n.name === "beta" && !n.online)) {
          a.app.cluster!.off("nodes", on);
          resolve(nodes);
        }
      };
      a.app.cluster!.on("nodes", on);
    });
    await b.app.close();
    await offline;
    await until(() => view.topology().sessions.find((s) => s.node === "beta")?.offline, "beta's sessions marked offline");
    expect(view.lines.get(`beta/${paneB}`)?.join("\n")).toContain("after-55-restart");
    const res = await fetch(`${a.url}/api/nodes`, { headers: { authorization: `Bearer ${admin}` } });
    const body = (await res.json()) as { nodes: NodeInfo[] };
    expect(body.nodes[0]).toMatchObject({ name: "alpha", online: true, version: expect.any(String) });
    expect(body.nodes).toContainEqual(expect.objectContaining({ name: "beta", online: false, panes: 3 }));
    expect(await c.emitWithAck("pane:send", { pane: `beta/${paneB}`, text: "x" })).toMatchObject({ error: { code: "NODE_UNAVAILABLE" } });

    // Beta restarts: its seqs go on from the clock, and alpha's client gets no repeated screen and no
    // seq going backwards: every update it receives for the pane changes it, or (the same screen under
    // beta's new seq) is an empty delta, with a higher seq.
    const received: Array<{ seq: number; changed: boolean }> = [];
    let screen = view.lines.get(`beta/${paneB}`)!.join("\n");
    c.pushes.on("pane:updated", (u) => {
      if (u.pane !== `beta/${paneB}`) return;
      const next = view.lines.get(u.pane)!.join("\n");
      const empty = u.delta.kind === "diff" && u.delta.shift === 0 && u.delta.set.length === 0;
      received.push({ seq: u.seq, changed: next !== screen || empty });
      screen = next;
    });
    b = await node("beta", tmuxB, auditB);
    await until(() => !view.topology().sessions.find((s) => s.node === "beta")?.offline, "beta back online");
    await tmuxB.type(paneB, "echo back-$((3*3))");
    await until(() => view.lines.get(`beta/${paneB}`)?.includes("back-9"), "beta's new output");
    expect(received.length).toBeGreaterThan(0);
    expect(received.every((r) => r.changed)).toBe(true);
    expect(received.map((r) => r.seq)).toEqual([...received.map((r) => r.seq)].sort((x, y) => x - y));
    expect(new Set(received.map((r) => r.seq)).size).toBe(received.length);
    c.disconnect();
  });
});
