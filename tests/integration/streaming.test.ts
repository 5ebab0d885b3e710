import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../lib/app.ts";
import { FleetConnection } from "../../lib/client/connection.ts";
import { FleetMirror } from "../../lib/client/mirror.ts";
import { stripAnsi } from "../../lib/ansi.ts";
import type { Batch, PaneUpdate, SubscribeResult, Ack } from "../../lib/protocol.ts";
import { allPanes } from "../../lib/topology.ts";
import { subscribedPoller } from "../helpers/polling-client.ts";
import { client, startPanecast } from "../helpers/server.ts";
import { TestTmux, until } from "../helpers/tmux.ts";

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  // Clients, then panecast (its control clients end first), then the tmux server.
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function setup(argv: string[] = []) {
  const tmux = new TestTmux();
  cleanup.push(() => tmux.kill());
  const pane = await tmux.newSession("alpha");
  const { app, url } = await startPanecast(tmux, argv);
  cleanup.push(() => app.close());
  return { tmux, pane, app, url };
}

function fleet(url: string): FleetConnection {
  const conn = new FleetConnection(new FleetMirror(), { url, transports: ["websocket"], backoff: { minMs: 50, maxMs: 300 } });
  conn.start();
  cleanup.push(() => conn.stop());
  return conn;
}

const text = (conn: FleetConnection, pane: string) => stripAnsi(conn.mirror.pane(pane)?.lines.join("\n") ?? "");

/** The client's mirror holds exactly the server's current frames, and the same panes. */
function inSync(conn: FleetConnection, app: PanecastApp): boolean {
  const ids = allPanes(app.tracker.topology).map((p) => p.id);
  if (conn.mirror.paneIds().sort().join() !== ids.slice().sort().join()) return false;
  return ids.every((id) => JSON.stringify(conn.mirror.pane(id)?.lines) === JSON.stringify(app.tracker.frame(id)?.lines));
}

describe("live streaming over Socket.IO from a real tmux server", () => {
  it("gives two clients identical frames, and text typed with send-keys reaches both", async () => {
    const { tmux, pane, app, url } = await setup();
    const a = fleet(url);
    const b = fleet(url);
    await until(() => a.status.state === "live" && b.status.state === "live", "both clients live");
    await tmux.type(pane, "echo streamed-$((6*7))");
    await until(() => text(a, pane).includes("streamed-42") && text(b, pane).includes("streamed-42"), "the typed line on both clients");
    await until(() => inSync(a, app) && inSync(b, app), "both mirrors equal to the server");
    expect(a.mirror.pane(pane)!.lines).toEqual(b.mirror.pane(pane)!.lines);
  });

  it("sends an appended line as a small diff, not a whole screen", async () => {
    const { tmux, pane, url } = await setup();
    const c = await client(url);
    cleanup.push(() => void c.close());
    const updates: PaneUpdate[] = [];
    c.pushes.on("pane:updated", (u) => updates.push(u));
    await c.emitWithAck("subscribe", {});
    await tmux.type(pane, "echo one-line");
    await until(() => updates.some((u) => JSON.stringify(u.delta).includes("one-line")), "the diff");
    const u = updates.find((x) => JSON.stringify(x.delta).includes("one-line"))!;
    expect(u.delta.kind).toBe("diff");
    expect(u.base).toBeGreaterThan(0);
  });

  it("shows new sessions and drops a killed one", async () => {
    const { tmux, app, url } = await setup();
    const a = fleet(url);
    await until(() => a.status.state === "live", "live");
    const beta = await tmux.newSession("beta");
    await until(() => a.mirror.topology.sessions.some((s) => s.name === "beta") && a.mirror.pane(beta), "beta on the client");
    await tmux.tmux("kill-session", "-t", "=beta");
    await until(() => !a.mirror.topology.sessions.some((s) => s.name === "beta"), "beta gone from the topology");
    expect(a.mirror.pane(beta)).toBeUndefined();
    await until(() => inSync(a, app), "client equal to the server");
  });

  it("resumes the stream when the tmux server is killed and started again", async () => {
    const { tmux, url } = await setup();
    const a = fleet(url);
    await until(() => a.status.state === "live" && a.status.tmux === "up", "live with tmux up");
    await tmux.tmux("kill-server");
    await until(() => a.status.tmux === "down" && a.mirror.topology.sessions.length === 0, "tmux reported down");
    const pane = await tmux.newSession("reborn");
    await tmux.type(pane, "echo back-again");
    await until(() => a.status.tmux === "up" && text(a, pane).includes("back-again"), "the new server's pane streamed");
  });

  it("after a reconnect sends only what changed since the seqs the client holds", async () => {
    const { tmux, pane, app, url } = await setup();
    const other = await tmux.split(pane);
    await until(() => app.tracker.frame(other), "the split pane captured");
    const first = await client(url);
    const r1 = (await first.emitWithAck("subscribe", {})) as { data: SubscribeResult };
    const mirror = new FleetMirror();
    mirror.hello(await first.hello);
    first.close();
    expect(mirror.subscribed(r1.data)).toEqual([]);
    const held = mirror.have()!;
    expect(Object.keys(held.seqs).sort()).toEqual([pane, other].sort());

    await tmux.type(pane, "echo while-away");
    const second = await client(url);
    cleanup.push(() => void second.close());
    let r2 = { error: { code: "INTERNAL", message: "" } } as Ack<SubscribeResult>;
    await until(async () => {
      r2 = await second.emitWithAck("subscribe", { have: held });
      return "data" in r2 && r2.data.updates.some((u) => JSON.stringify(u.delta).includes("while-away"));
    }, "the change made while away");
    if (!("data" in r2)) throw new Error("subscribe failed");
    expect(new Set(r2.data.updates.map((u) => u.pane))).toEqual(new Set([pane]));
    expect(mirror.subscribed(r2.data)).toEqual([]);
    expect(stripAnsi(mirror.pane(pane)!.lines.join("\n"))).toContain("while-away");
  });

  it("never holds more than the bound for a client that stops reading, and brings it up to date after", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "panecast-test-"));
    // Every frame read (no busy pace): the client's bound is tested with as many frames as tmux gives.
    writeFileSync(path.join(dir, "panecast.yaml"), "hub:\n  max_buffered_packets: 8\nwatch:\n  frame_interval_ms: 5\n  busy_interval_ms: 0\n");
    const { tmux, pane, app, url } = await setup(["--config", path.join(dir, "panecast.yaml")]);
    const { client: slow, mirror } = await subscribedPoller(url, pane);
    cleanup.push(() => slow.close());

    // From here on the client reads nothing. Watch every packet the server queues for it.
    const conn = app.io.of("/").sockets.get(slow.socketId)!.conn as unknown as { writeBuffer: unknown[]; on(e: string, f: () => void): void };
    let maxBuffered = 0;
    conn.on("packetCreate", () => (maxBuffered = Math.max(maxBuffered, conn.writeBuffer.length)));
    const skippedBefore = app.hub.stats.skipped;
    await tmux.type(pane, "for i in $(seq 1 400); do echo \"flood $i $(printf '%060d' $i)\"; sleep 0.002; done; echo flood-$((400+1))-done");
    await until(async () => (await tmux.capture(pane)).includes("flood-401-done"), "the flood to end", 30_000);
    await until(() => stripAnsi(app.tracker.frame(pane)!.lines.join("\n")).includes("flood-401-done"), "the server to see the end");

    expect(app.hub.stats.skipped).toBeGreaterThan(skippedBefore);
    expect(maxBuffered).toBeLessThanOrEqual(8 + 2);

    // Reading again: the client skips to the current frame and ends equal to the server.
    await until(async () => {
      for (const m of await slow.read()) {
        if ("event" in m && m.event === "batch") for (const u of (m.data as Batch).updates ?? []) mirror.apply(u);
      }
      return JSON.stringify(mirror.pane(pane)?.lines) === JSON.stringify(app.tracker.frame(pane)!.lines);
    }, "the slow client to catch up");
  });

  it("streams the same way in poll mode", async () => {
    const { tmux, pane, app, url } = await setup(["--watch-mode", "poll"]);
    expect(app.feed).toBeNull();
    const a = fleet(url);
    await until(() => a.status.state === "live", "live");
    await tmux.type(pane, "echo polled-$((2+3))");
    await until(() => text(a, pane).includes("polled-5"), "the typed line via polling");
    await until(() => inSync(a, app), "client equal to the server");
  });

  it("filters by session: a client sees only the sessions it asked for", async () => {
    const { tmux, pane, app, url } = await setup();
    const beta = await tmux.newSession("beta");
    await until(() => app.tracker.frame(beta), "beta tracked");
    const c = await client(url);
    cleanup.push(() => void c.close());
    const seen = new Set<string>();
    c.pushes.on("pane:updated", (u) => seen.add(u.pane));
    const r = await c.emitWithAck("subscribe", { filter: { sessions: ["beta"] } });
    if (!("data" in r)) throw new Error("subscribe failed");
    expect(r.data.topology.sessions.map((s) => s.name)).toEqual(["beta"]);
    await tmux.type(pane, "echo for-alpha");
    await tmux.type(beta, "echo for-beta");
    await until(() => seen.has(beta), "beta's update");
    expect(seen.has(pane)).toBe(false);
  });

  it("answers malformed messages with an error code, changes nothing, and keeps streaming", async () => {
    const { tmux, pane, url } = await setup();
    const c = await client(url);
    cleanup.push(() => void c.close());
    const errors: string[] = [];
    c.on("server:error", (e) => errors.push(e.code));
    const raw = c as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack<unknown>>; emit(e: string, ...p: unknown[]): void };
    const bad: Array<[string, unknown, string]> = [
      ["subscribe", "nope", "BAD_REQUEST"],
      ["subscribe", { filter: { panes: ["%1;kill-server"] } }, "BAD_REQUEST"],
      ["subscribe", { extra: 1 }, "BAD_REQUEST"],
      ["pane:resync", { pane: "$(reboot)" }, "BAD_REQUEST"],
      ["pane:resync", { pane: "%4242" }, "PANE_NOT_FOUND"],
      ["pane:history", { pane: "../../etc/passwd" }, "BAD_REQUEST"],
      ["pane:history", { pane: "%4242" }, "PANE_NOT_FOUND"],
      ["pane:history", { pane: pane, lines: 1e12 }, "BAD_REQUEST"],
    ];
    for (const [event, payload, code] of bad) {
      const r = await raw.emitWithAck(event, payload);
      expect(r, `${event} ${JSON.stringify(payload)}`).toMatchObject({ error: { code } });
    }
    raw.emit("tmux:kill-server", {});
    raw.emit("pane:resync", { pane: "bad" });
    await until(() => errors.length >= 2, "errors for messages without an ack");
    expect(errors).toEqual(["BAD_REQUEST", "BAD_REQUEST"]);
    expect((await tmux.tmux("list-sessions", "-F", "#{session_name}")).trim()).toBe("alpha");
    const updates: PaneUpdate[] = [];
    c.pushes.on("pane:updated", (u) => updates.push(u));
    await c.emitWithAck("subscribe", {});
    await tmux.type(pane, "echo still-alive");
    await until(() => updates.some((u) => JSON.stringify(u.delta).includes("still-alive")), "streaming after bad input");
  });
});
