import { execFile, spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../lib/app.ts";
import { PanecastClient, type FleetEvent } from "../../lib/client/index.ts";
import { stripAnsi } from "../../lib/ansi.ts";
import { startWithAuth } from "../helpers/auth.ts";
import { freePort } from "../helpers/net.ts";
import { freshName, TestTmux, until } from "../helpers/tmux.ts";

const run = promisify(execFile);
const BIN = path.resolve("bin/panecast.js");
const AGENT = path.resolve("demo/agent.mjs");
const PY = process.env.PANECAST_PYTHON ?? "/usr/bin/python3";
const tmux = new TestTmux();
let app: PanecastApp;
let url: string;
let operator: string;
let viewer: string;
let shell: string;
let metricsPort: number;

beforeAll(async () => {
  shell = await tmux.newSession("shells");
  metricsPort = await freePort();
  const s = await startWithAuth(tmux, `metrics:\n  listen: 127.0.0.1:${metricsPort}\nalerts:\n  min_interval_ms: 0\n`);
  ({ app, url } = s);
  operator = app.auth.tokens!.create({ name: "op", role: "operator" }).token;
  viewer = app.auth.tokens!.create({ name: "viewer", role: "viewer" }).token;
});

afterAll(async () => {
  await app?.close();
  await tmux.kill();
});

/** Starts the scripted demo agent in a new session; returns its pane. */
async function scriptedAgent(session: string, script: string): Promise<string> {
  const pane = (await tmux.tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", "-P", "-F", "#{pane_id}", process.execPath, AGENT, session, "--script", script)).trim();
  await tmux.tmux("set-option", "-p", "-t", pane, "@agent_id", session);
  return pane;
}

describe("JS/TS client (panecast/client)", () => {
  it("mirrors the screens, iterates events, types to panes, and resumes after losing its connection", async () => {
    const client = new PanecastClient({ url, token: operator, transports: ["websocket"], backoff: { minMs: 50, maxMs: 200 }, events: { types: ["agent.status"] } });
    await client.connect();
    expect(client.status.principal).toMatchObject({ name: "op", role: "operator" });
    expect(client.mirror.pane(shell)).toBeDefined();

    const seen: FleetEvent[] = [];
    const iterating = (async () => {
      for await (const e of client.events()) {
        seen.push(e);
        if (e.data.state === "waiting-for-input") return;
      }
    })();
    const pane = await scriptedAgent("jsagent", "work:500,ask,idle");
    await iterating;
    expect(seen.every((e) => e.type === "agent.status")).toBe(true);
    expect(seen.at(-1)).toMatchObject({ pane, data: { state: "waiting-for-input", agentId: "jsagent" } });

    const r = await client.send({ pane: shell, text: "echo from-js-$((3*3))", enter: true });
    expect(r).toMatchObject({ verified: true, enterSent: true });
    await until(() => stripAnsi(client.mirror.pane(shell)?.lines.join("\n") ?? "").includes("from-js-9"), "the output in the mirror");

    // The server drops the connection; the client reconnects, resumes, and ends equal to the server.
    for (const s of app.io.of("/").sockets.values()) if (s.data.principal.name === "op") s.disconnect(true);
    await until(() => client.status.state !== "live", "the drop noticed");
    await tmux.type(shell, "echo after-the-drop");
    await until(() => client.status.state === "live", "live again");
    await until(
      () => JSON.stringify(client.mirror.pane(shell)?.lines) === JSON.stringify(app.tracker.frame(shell)?.lines) && stripAnsi(client.mirror.pane(shell)!.lines.join("\n")).includes("after-the-drop"),
      "the mirror equal to the server",
    );
    client.close();
  });

  it("rejects a bad token and an unreachable server with a code", async () => {
    await expect(new PanecastClient({ url, token: "pc_nope", transports: ["websocket"] }).connect()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(new PanecastClient({ url: `http://127.0.0.1:${await freePort()}`, transports: ["websocket"] }).connect()).rejects.toMatchObject({ code: "UNREACHABLE" });
  });
});

describe("panecast watch and panecast send", () => {
  it("watch --json prints one JSON event per line, filtered by session and type", async () => {
    const child = spawn(process.execPath, [BIN, "watch", "--json", "--url", url, "--sessions", "watched", "--type", "agent.status"], {
      env: { ...process.env, PANECAST_TOKEN: viewer },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const lines: FleetEvent[] = [];
    const rl = createInterface({ input: child.stdout! });
    rl.on("line", (l) => lines.push(JSON.parse(l) as FleetEvent));
    await until(() => app.hub.clientCount > 0 && [...app.io.of("/").sockets.keys()].some((id) => app.hub.eventFilterOf(id)?.sessions?.includes("watched")), "watch subscribed");
    await scriptedAgent("unwatched", "work:300,idle");
    const pane = await scriptedAgent("watched", "work:300,ask,idle");
    await until(() => lines.some((e) => e.pane === pane && e.data.state === "waiting-for-input"), "the watched agent's events");
    expect(lines.every((e) => e.type === "agent.status" && e.session === "watched")).toBe(true);
    const exit = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGINT");
    expect(await exit).toBe(0);
  });

  it("watch prints a table of agents and states", async () => {
    const child = spawn(process.execPath, [BIN, "watch", "--url", url, "--token", viewer], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    await until(() => /AGENT\s+PANE\s+TARGET\s+TYPE\s+STATE/.test(out) && out.includes("watched:0.0"), "the table");
    expect(out).toMatch(/panecast · live · /);
    child.kill("SIGINT");
  });

  it("watch exits with one clear line once its token is revoked", async () => {
    const name = freshName("watch-revoked");
    const t = app.auth.tokens!.create({ name, role: "viewer" }).token;
    const child = spawn(process.execPath, [BIN, "watch", "--url", url, "--token", t], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    const exit = new Promise<number | null>((resolve) => child.once("exit", resolve));
    await until(() => out.includes("panecast · live"), "the watch live");
    app.auth.tokens!.revoke(name);
    expect(await exit).toBe(1);
    expect(err.trim().split("\n")).toEqual([expect.stringMatching(/^panecast watch: the server no longer takes this token \(.+\); it was revoked or has expired$/)]);
  });

  it("watch | head ends quietly when its reader goes away (no EPIPE stack)", async () => {
    const child = spawn(process.execPath, [BIN, "watch", "--url", url, "--token", viewer], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    const exit = new Promise<number | null>((resolve) => child.once("exit", resolve));
    // Like head: read the first chunk, then close the pipe; the table redraws and hits the closed pipe.
    await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
    child.stdout!.destroy();
    // A few lines in a row turn the (non-agent) shell pane `running`: a status change the table redraws for.
    await tmux.type(shell, "for i in 1 2 3 4 5 6; do echo redraw-after-head-$i; sleep 0.3; done");
    expect(await exit).toBe(0);
    expect(err).not.toContain("EPIPE");
  });

  it("send takes a pane as status prints it, an @agent_id or session:window.pane, and counts in the singular", async () => {
    const session = freshName("named");
    const pane = (await tmux.tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", "-P", "-F", "#{pane_id}")).trim();
    const agent = freshName("builder");
    await tmux.tmux("set-option", "-p", "-t", pane, "@agent_id", agent);
    await until(() => app.tracker.topology.sessions.some((s) => s.windows.some((w) => w.panes.some((p) => p.id === pane && p.agentId === agent))), "the agent id in the topology");
    const byName = await run(process.execPath, [BIN, "send", `@${agent}`, "a", "--url", url, "--token", operator]);
    expect(byName.stdout.trim()).toBe(`sent to ${pane}: 1 byte (seen on the pane)`);
    await until(async () => /[#$%>] a$/m.test(await tmux.capture(pane)), "the first send on the pane");
    const byPlace = await run(process.execPath, [BIN, "send", `${session}:0.0`, "bc", "--url", url, "--token", operator]);
    expect(byPlace.stdout.trim()).toBe(`sent to ${pane}: 2 bytes (seen on the pane)`);
    await until(async () => /[#$%>] bc$/m.test(await tmux.capture(pane)), "the second send on the pane");
    await expect(run(process.execPath, [BIN, "send", `@${agent}-nobody`, "x", "--url", url, "--token", operator])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining(`@${agent}-nobody`) });
  });

  it("send types over the authenticated channel; viewers and bad tokens are refused clearly", async () => {
    const ok = await run(process.execPath, [BIN, "send", shell, "echo", "sent-by-cli", "--enter", "--url", url, "--token", operator]);
    expect(ok.stdout).toContain(`sent to ${shell}`);
    await until(async () => (await tmux.capture(shell)).split("\n").includes("sent-by-cli"), "the command's output");
    await expect(run(process.execPath, [BIN, "send", shell, "x", "--url", url, "--token", viewer])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("FORBIDDEN") });
    await expect(run(process.execPath, [BIN, "watch", "--url", url, "--token", "pc_bad"])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("refused the token") });
    await expect(run(process.execPath, [BIN, "watch", "--url", `http://127.0.0.1:${await freePort()}`])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("connection refused") });
  });
});

describe("Python client", () => {
  it("the example prints agent status changes from a real server", async () => {
    // A retry starts from a clean fixture: a session of its own.
    const session = freshName("pyagent");
    const child = spawn(PY, [path.resolve("clients/python/examples/watch_status.py"), "--url", url, "--session", session, "--count", "2"], {
      env: { ...process.env, PANECAST_TOKEN: viewer },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    const exit = new Promise<number | null>((resolve) => child.once("exit", resolve));
    await until(() => out.includes("watching") || child.exitCode !== null, "the python client connected");
    expect(err).toBe("");
    const pane = await scriptedAgent(session, "work:600,ask,idle");
    expect(await exit).toBe(0);
    const lines = out.trim().split("\n").slice(1);
    expect(lines).toHaveLength(2);
    // The first state can be seen before the test sets @agent_id (a second tmux call): then the pane id names it.
    // The fake agent names itself claude once running (process.title): before that its pane is a plain program's.
    expect(lines[0]).toMatch(new RegExp(`${session}:0 (${session}|${pane}) \\(${pane}\\): (-|quiet|running) -> working$`));
    expect(lines[1]).toMatch(/-> (idle|waiting-for-input)$/);
  });

  it("unpacks the server's batches into pane updates and sessions", async () => {
    const script = `
import sys, threading; sys.path.insert(0, ${JSON.stringify(path.resolve("clients/python"))})
from panecast_client import PanecastClient
c = PanecastClient(${JSON.stringify(url)}, token=sys.argv[1])
seen = threading.Event()
batches = []
c.on("batch", lambda b: batches.append(b))
c.on("pane:updated", lambda u: seen.set() if "from-py-batch" in str(u["delta"]) else None)
c.connect()
print("sessions", c.sessions["type"])
print("held", len(c.subscribe(panes=[${JSON.stringify(shell)}])["updates"]))
c.send(${JSON.stringify(shell)}, "echo from-py-batch", enter=True)
print("seen", seen.wait(20), all(isinstance(b, dict) for b in batches))
c.close()
`;
    const r = await run(PY, ["-c", script, operator]);
    expect(r.stdout.trim().split("\n")).toEqual(["sessions sessions", "held 1", "seen True True"]);
  });

  it("sends with an operator token and reports refusals with a code", async () => {
    const script = `
import sys; sys.path.insert(0, ${JSON.stringify(path.resolve("clients/python"))})
from panecast_client import PanecastClient, PanecastError
c = PanecastClient(${JSON.stringify(url)}, token=sys.argv[1])
c.connect()
try:
    r = c.send(${JSON.stringify(shell)}, "echo from-python", enter=True)
    print("ok", r["verified"], r["enterSent"])
except PanecastError as e:
    print("error", e.code)
c.close()
`;
    const op = await run(PY, ["-c", script, operator]);
    expect(op.stdout.trim()).toBe("ok True True");
    await until(async () => (await tmux.capture(shell)).split("\n").includes("from-python"), "python's command ran");
    expect((await run(PY, ["-c", script, viewer])).stdout.trim()).toBe("error FORBIDDEN");
    const bad = await run(PY, ["-c", script.replace("c.connect()", "try:\n    c.connect()\nexcept PanecastError as e:\n    print('error', e.code); sys.exit(0)"), "pc_bad"]);
    expect(bad.stdout.trim()).toBe("error UNAUTHORIZED");
  });
});

describe("metrics", () => {
  it("serves Prometheus metrics behind a token, and on a separate listener", async () => {
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    const r = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(r.headers.get("content-type")).toContain("text/plain");
    const text = await r.text();
    for (const m of ["panecast_clients_connected", "panecast_pane_updates_total", "panecast_capture_bytes_total", "panecast_tmux_queue_depth", "panecast_frames_skipped_total", "panecast_tmux_command_seconds_bucket", 'panecast_events_total{type="agent.status"}', "panecast_process_resident_memory_bytes"]) {
      expect(text, m).toContain(m);
    }
    const side = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(side).toContain("panecast_clients_connected");
  });

  it("refuses a token limited to some sessions: metrics are totals over every session", async () => {
    const limited = app.auth.tokens!.create({ name: freshName("limited-viewer"), role: "viewer", sessions: ["nowhere"] }).token;
    const r = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${limited}` } });
    expect(r.status).toBe(403);
    const text = await r.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: "FORBIDDEN" } });
    expect(text).not.toContain("panecast_");
  });
});
