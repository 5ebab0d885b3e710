import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../lib/app.ts";
import type { FleetEvent, PaneAlert, ResourcesPayload, SessionsPayload } from "../../lib/protocol.ts";
import { client, startPanecast, type TestClient } from "../helpers/server.ts";
import { freshName, TestTmux, until } from "../helpers/tmux.ts";

const AGENT = path.resolve("demo/agent.mjs");
const tmux = new TestTmux();
const dir = mkdtempSync(path.join(tmpdir(), "panecast-aware-"));
let app: PanecastApp;
let url: string;
let hook: http.Server;
const received: Array<Record<string, unknown>> = [];
let hookCalls = 0;
const open: TestClient[] = [];

beforeAll(async () => {
  // A webhook receiver that fails its first call, to show the retry.
  hook = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      hookCalls++;
      if (hookCalls === 1) {
        res.writeHead(503).end();
        return;
      }
      received.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", () => resolve()));
  const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/alerts`;
  writeFileSync(
    path.join(dir, "panecast.yaml"),
    `alerts:\n  min_interval_ms: 0\n  grace_ms: 0\n  webhooks:\n    - url: ${hookUrl}\n      retries: 3\nresources:\n  interval_ms: 500\nevents:\n  sessions_debounce_ms: 300\n`,
  );
  await tmux.newSession("base");
  ({ app, url } = await startPanecast(tmux, ["--config", path.join(dir, "panecast.yaml")]));
});

afterAll(async () => {
  for (const c of open) c.close();
  await app?.close();
  await tmux.kill();
  await new Promise<void>((resolve) => hook.close(() => resolve()));
});

async function watcher(): Promise<TestClient> {
  const c = await client(url);
  open.push(c);
  return c;
}

describe("agent awareness", () => {
  it("follows a demo agent through working, waiting, error and idle, as ordered events with alerts", async () => {
    const c = await watcher();
    const events: FleetEvent[] = [];
    const alerts: PaneAlert[] = [];
    c.pushes.on("event", (e) => events.push(e));
    c.pushes.on("pane:alert", (a) => alerts.push(a));
    await c.emitWithAck("events:subscribe", { types: ["agent.status", "pane.alert", "pane.added"] });

    const pane = (
      await tmux.tmux("new-session", "-d", "-s", "scripted", "-x", "100", "-y", "30", "-P", "-F", "#{pane_id}", process.execPath, AGENT, "ashigaru9", "--script", "work:1500,ask,error:1500,idle")
    ).trim();
    await tmux.tmux("set-option", "-p", "-t", pane, "@agent_id", "ashigaru9");
    const states = () => events.filter((e) => e.type === "agent.status" && e.pane === pane).map((e) => e.data.state);
    await until(() => states().includes("waiting-for-input"), "the question");
    await tmux.type(pane, "1");
    await until(() => states().at(-1) === "idle", "the idle prompt", 20_000);

    // Each state in order (the scripted agent never goes back), each event naming the previous state.
    const seq = states().filter((s, i, all) => i === 0 || s !== all[i - 1]);
    // Working may pause into idle while the spinner is quiet, and may show briefly after the answer.
    expect(seq.join(",")).toMatch(/^working,(idle,)?waiting-for-input,(working,)?error,idle$/);
    const statusEvents = events.filter((e) => e.type === "agent.status" && e.pane === pane);
    for (let i = 1; i < statusEvents.length; i++) expect(statusEvents[i]!.data.previous).toBe(statusEvents[i - 1]!.data.state);
    const ids = events.map((e) => Number(e.id.split(":")[1]));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(events.find((e) => e.type === "pane.added" && e.pane === pane)).toMatchObject({ session: "scripted", schema: 1 });

    const kinds = alerts.filter((a) => a.pane === pane).map((a) => a.kind);
    expect(kinds).toEqual(expect.arrayContaining(["waiting-for-input", "error"]));
    expect(alerts.find((a) => a.kind === "waiting-for-input" && a.pane === pane)).toMatchObject({ agentId: "ashigaru9", message: "ashigaru9 is waiting for input", session: "scripted" });
    expect(alerts.find((a) => a.kind === "waiting-for-input")!.line).toContain("Do you want to proceed");
    expect(events.some((e) => e.type === "pane.alert" && e.pane === pane)).toBe(true);

    // The webhook failed once (503), was retried, and got both alerts (grace_ms 0: the question is answered at once).
    await until(() => received.filter((r) => r.pane === pane).length >= 2, "the webhook deliveries", 20_000);
    expect(received.filter((r) => r.pane === pane).map((r) => r.kind)).toEqual(expect.arrayContaining(["waiting-for-input", "error"]));
    expect(received[0]).toMatchObject({ type: "pane.alert" });
    expect(app.awareness.webhooks.stats.retried).toBeGreaterThanOrEqual(1);
  });

  it("replays the events after the last id a client saw, with its filters", async () => {
    const first = await watcher();
    const r1 = await first.emitWithAck("events:subscribe", { types: ["session.created", "session.removed"] });
    if (!("data" in r1)) throw new Error("subscribe failed");
    const lastSeen = r1.data.events.at(-1)?.id ?? `${app.epoch}:0`;
    first.close();
    const away = freshName("while-away");
    await tmux.newSession(away);
    await until(() => app.awareness.events.since(lastSeen).events.some((e) => e.type === "session.created" && e.session === away), "the session seen");
    await tmux.tmux("kill-session", "-t", `=${away}`);
    await until(() => app.awareness.events.since(lastSeen).events.some((e) => e.type === "session.removed" && e.session === away), "both events logged");
    const second = await watcher();
    const r2 = await second.emitWithAck("events:subscribe", { types: ["session.created", "session.removed"], since: lastSeen });
    if (!("data" in r2)) throw new Error("subscribe failed");
    expect(r2.data.truncated).toBe(false);
    expect(r2.data.events.map((e) => `${e.type} ${e.session}`)).toEqual([`session.created ${away}`, `session.removed ${away}`]);
    const bySession = await second.emitWithAck("events:subscribe", { sessions: ["nothing-here"], since: lastSeen });
    expect(bySession).toMatchObject({ data: { events: [] } });
  });

  it("reads git state of the work tree a pane sits in", async () => {
    const repo = mkdtempSync(path.join(tmpdir(), "panecast-git-"));
    const remote = mkdtempSync(path.join(tmpdir(), "panecast-git-remote-"));
    const git = (...args: string[]) => execFileSync("git", ["-C", repo, ...args], { env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } });
    execFileSync("git", ["init", "-q", "--bare", remote]);
    git("init", "-q", "-b", "main");
    writeFileSync(path.join(repo, "a.txt"), "one\ntwo\nthree\n");
    git("add", "a.txt");
    git("commit", "-q", "-m", "first");
    git("remote", "add", "origin", remote);
    git("push", "-q", "-u", "origin", "main");
    writeFileSync(path.join(repo, "b.txt"), "b\n");
    git("add", "b.txt");
    git("commit", "-q", "-m", "second");
    writeFileSync(path.join(repo, "a.txt"), "one\nTWO\nthree\nfour\nfive\n");
    writeFileSync(path.join(repo, "new.txt"), "untracked\n");

    const c = await watcher();
    let latest: SessionsPayload | null = null;
    c.pushes.on("sessions", (s) => (latest = s));
    const pane = (await tmux.tmux("new-session", "-d", "-s", "gitty", "-c", repo, "-P", "-F", "#{pane_id}")).trim();
    const r = await c.emitWithAck("git:refresh", {});
    expect(r).toMatchObject({ data: { repositories: expect.any(Number) } });
    await until(() => latest?.git[pane], "git state in the sessions push");
    expect(latest!.git[pane]).toEqual({ root: repo, branch: "main", upstream: "origin/main", ahead: 1, behind: 0, dirty: true, filesChanged: 2, linesAdded: 3, linesRemoved: 1 });
    const plain = (await tmux.tmux("new-session", "-d", "-s", "plain", "-c", mkdtempSync(path.join(tmpdir(), "panecast-nogit-")), "-P", "-F", "#{pane_id}")).trim();
    await c.emitWithAck("git:refresh", {});
    await until(() => latest && plain in latest.git, "the plain pane in the push");
    expect(latest!.git[plain]).toBeNull();
  });

  it("samples the CPU and memory of each pane's process tree, and the host", async () => {
    const busy = (await tmux.tmux("new-session", "-d", "-s", "busy", "-P", "-F", "#{pane_id}", "bash", "-c", "while :; do :; done")).trim();
    const c = await watcher();
    const samples: ResourcesPayload[] = [];
    c.pushes.on("resources:updated", (r) => samples.push(r));
    await until(() => samples.some((s) => (s.panes[busy]?.cpu ?? 0) > 0), "a sample with the busy pane working");
    const s = samples.at(-1)!;
    expect(s.panes[busy]).toMatchObject({ processes: expect.any(Number), rssBytes: expect.any(Number) });
    expect(s.panes[busy]!.rssBytes).toBeGreaterThan(0);
    expect(s.host.cpus).toBeGreaterThan(0);
    expect(s.host.memTotalBytes).toBeGreaterThan(s.host.memAvailableBytes);
    await tmux.tmux("kill-session", "-t", "=busy");
  });

  it("pushes the whole fleet on connect and on changes, in order, ending with the last change", async () => {
    const c = await watcher();
    const pushes: Array<{ payload: SessionsPayload }> = [];
    pushes.push({ payload: await c.sessions });
    expect(pushes[0]!.payload.sessions.length).toBeGreaterThan(0);
    c.pushes.on("sessions", (p) => pushes.push({ payload: p }));
    // Fresh names on every try: a retry must not meet the first try's sessions.
    const names = [0, 1, 2, 3, 4].map((i) => freshName(`burst${i}`));
    for (const name of names) await tmux.newSession(name);
    await until(() => pushes.at(-1)!.payload.sessions.some((s) => s.name === names[4]), "the last change pushed");
    // However many pushes a burst became (coalescing is the Throttle's unit test, on fake timers),
    // each is the whole fleet as it then was: the sessions appear in the order they were made, and
    // none goes missing on the way.
    const made = pushes.map((p) => names.filter((n) => p.payload.sessions.some((s) => s.name === n)));
    for (const [i, seen] of made.entries()) {
      expect(seen).toEqual(names.slice(0, seen.length));
      if (i > 0) expect(seen.length).toBeGreaterThanOrEqual(made[i - 1]!.length);
    }
    expect(made.at(-1)).toEqual(names);
    expect(pushes.at(-1)!.payload.type).toBe("sessions");
  });
});
