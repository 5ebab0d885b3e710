import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../lib/app.ts";
import type { FleetEvent, PaneAlert, ResourcesPayload, SessionsPayload } from "../../lib/protocol.ts";
import { TestRedis } from "../helpers/redis.ts";
import { client, startPanecast, type TestClient } from "../helpers/server.ts";
import { TestTmux, until } from "../helpers/tmux.ts";

// Every view is cluster-wide (sessions, resources, git) and node lifecycle (offline/online events,
// one alert per cluster, `offline` as the panes' state, refused sends), on real tmux and redis-server.

const git = promisify(execFile);
const redis = new TestRedis();
const tmuxA = new TestTmux();
const tmuxB = new TestTmux();
const tmuxC = new TestTmux();
let a: { app: PanecastApp; url: string };
let b: { app: PanecastApp; url: string };
let admin: string;
let paneA: string;
let paneB: string;
let paneC: string;
let repo: string;
/** Every webhook post any node made (the nodes share one receiver). */
const hooks: Array<{ kind: string; message: string; pane: string }> = [];
let receiver: http.Server;
let config: string;

function node(name: string, tmux: TestTmux): Promise<{ app: PanecastApp; url: string }> {
  const scratch = mkdtempSync(path.join(tmpdir(), "panecast-views-"));
  return startPanecast(tmux, ["--config", config], {
    PANECAST_AUTH: "on",
    PANECAST_TOKENS: path.join(scratch, "tokens.json"),
    PANECAST_DATA_DIR: scratch,
    PANECAST_NODE: name,
    PANECAST_REDIS_URL: redis.url,
  });
}

async function subscribed(url: string): Promise<TestClient> {
  const c = await client(url, { token: admin });
  const r = await c.emitWithAck("subscribe", {});
  if (!("data" in r)) throw new Error(`subscribe failed: ${r.error.code}`);
  return c;
}

/** The latest of a push kind a client received, kept as they arrive. */
function latest<T>(c: TestClient, kind: "sessions" | "resources"): { get: () => T | null } {
  let v: T | null = null;
  c.pushes.on(kind === "sessions" ? "sessions" : "resources:updated", (x: unknown) => (v = x as T));
  return { get: () => v };
}

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      const j = JSON.parse(body) as { alert?: PaneAlert; kind?: string; message?: string };
      const alert = j.alert ?? (j as PaneAlert);
      hooks.push({ kind: alert.kind, message: alert.message, pane: alert.pane });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const dir = mkdtempSync(path.join(tmpdir(), "panecast-views-cfg-"));
  config = path.join(dir, "panecast.yaml");
  const port = (receiver.address() as AddressInfo).port;
  writeFileSync(config, `alerts:\n  grace_ms: 200\n  webhooks:\n    - url: http://127.0.0.1:${port}/hook\nresources:\n  interval_ms: 500\n`);
  repo = mkdtempSync(path.join(tmpdir(), "panecast-views-repo-"));
  await git("git", ["init", "-q", "-b", "feature-x", repo]);
  await redis.start();
  paneA = await tmuxA.newSession("alpha-work");
  paneB = await tmuxB.newSession("beta-work", { command: `cd ${repo} && exec env "PS1=\$ " bash --norc --noprofile` });
  paneC = await tmuxC.newSession("gamma-work");
  a = await node("alpha", tmuxA);
  admin = a.app.bootstrapToken!;
  b = await node("beta", tmuxB);
  await until(() => a.app.cluster!.source.locate(`beta/${paneB}`) && b.app.cluster!.source.locate(`alpha/${paneA}`), "each node's panes on the other");
}, 30_000);

afterAll(async () => {
  await a?.app.close();
  await b?.app.close();
  await Promise.all([tmuxA.kill(), tmuxB.kill(), tmuxC.kill(), redis.stop()]);
  receiver?.close();
});

describe("every view is cluster-wide", () => {
  it("lists every node's sessions in GET /api/sessions on any node, each pane with its node", async () => {
    for (const n of [a, b]) {
      const res = await fetch(`${n.url}/api/sessions`, { headers: { authorization: `Bearer ${admin}` } });
      const body = (await res.json()) as SessionsPayload;
      const panes = body.sessions.flatMap((s) => s.windows.flatMap((w) => w.panes));
      expect(panes).toContainEqual(expect.objectContaining({ id: `alpha/${paneA}`, node: "alpha" }));
      expect(panes).toContainEqual(expect.objectContaining({ id: `beta/${paneB}`, node: "beta" }));
    }
  });

  it("sends a client on alpha beta's git state and pane resources, sampled on beta because alpha has a client", async () => {
    const c = await subscribed(a.url);
    const sessions = latest<SessionsPayload>(c, "sessions");
    const resources = latest<ResourcesPayload>(c, "resources");
    await until(() => sessions.get()?.git[`beta/${paneB}`]?.branch === "feature-x", "beta's git branch on alpha");
    await until(() => resources.get()?.panes[`beta/${paneB}`] !== undefined, "beta's pane resources on alpha");
    expect(resources.get()!.panes[`beta/${paneB}`]).toMatchObject({ rssBytes: expect.any(Number), processes: expect.any(Number) });
    // The status of beta's pane (from its events) sits in the same push.
    expect(sessions.get()!.status[`beta/${paneB}`]).toMatchObject({ pane: `beta/${paneB}` });
    expect(b.app.hub.clientCount).toBe(0);
    c.disconnect();
  }, 20_000);

  it("prints every node's panes with `panecast status --url`", async () => {
    const bin = path.resolve(import.meta.dirname, "../../bin/panecast.js");
    const { stdout } = await git(process.execPath, [bin, "status", "--json", "--url", b.url, "--token", admin]);
    const body = JSON.parse(stdout) as { sessions: Array<{ node?: string; windows: Array<{ panes: Array<{ id: string; node?: string }> }> }> };
    const ids = body.sessions.flatMap((s) => s.windows.flatMap((w) => w.panes.map((p) => p.id)));
    expect(ids).toEqual(expect.arrayContaining([`alpha/${paneA}`, `beta/${paneB}`]));
  });
});

describe("node lifecycle", () => {
  it("tells every node at once when gamma stops: node.offline once, its panes `offline`, one alert pushed and webhooked once, sends refused; node.online when it is back", async () => {
    let g = await node("gamma", tmuxC);
    await until(() => a.app.cluster!.source.locate(`gamma/${paneC}`) && b.app.cluster!.source.locate(`gamma/${paneC}`), "gamma's pane on alpha and beta");
    const c = await subscribed(a.url);
    const sessions = latest<SessionsPayload>(c, "sessions");
    const alerts: PaneAlert[] = [];
    const events: FleetEvent[] = [];
    c.pushes.on("pane:alert", (x) => alerts.push(x));
    c.pushes.on("event", (e) => events.push(e));
    await c.emitWithAck("events:subscribe", {});
    hooks.length = 0;

    await g.app.close();
    await until(() => sessions.get()?.status[`gamma/${paneC}`]?.state === "offline", "gamma's pane offline in alpha's sessions push");
    const gammaAlert = (x: { kind: string; message: string }) => x.kind === "node-offline" && x.message === "node gamma is offline";
    await until(() => alerts.some(gammaAlert), "the node-offline alert on alpha's page");
    await until(() => hooks.some(gammaAlert), "the node-offline webhook");
    expect(alerts.find(gammaAlert)).toMatchObject({ pane: `gamma/${paneC}`, session: "gamma-work" });
    expect(events.filter((e) => e.type === "node.offline" && e.data.node === "gamma")).toHaveLength(1);
    expect(await c.emitWithAck("pane:send", { pane: `gamma/${paneC}`, text: "x" })).toMatchObject({ error: { code: "NODE_UNAVAILABLE" } });
    const res = await fetch(`${b.url}/api/sessions`, { headers: { authorization: `Bearer ${admin}` } });
    expect(((await res.json()) as SessionsPayload).status[`gamma/${paneC}`]).toMatchObject({ state: "offline" });

    g = await node("gamma", tmuxC);
    await until(() => events.some((e) => e.type === "node.online" && e.data.node === "gamma"), "node.online on alpha");
    await until(() => sessions.get()?.status[`gamma/${paneC}`]?.state !== "offline", "gamma's pane no longer offline");
    // Both nodes saw both transitions; each was told once, and webhooked once.
    expect(events.filter((e) => e.type === "node.offline" && e.data.node === "gamma")).toHaveLength(1);
    expect(events.filter((e) => e.type === "node.online" && e.data.node === "gamma")).toHaveLength(1);
    expect(hooks.filter(gammaAlert)).toHaveLength(1);
    c.disconnect();
    await g.app.close();
  }, 30_000);
});
