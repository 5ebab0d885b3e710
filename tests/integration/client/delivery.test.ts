import { mkdtempSync, writeFileSync } from "node:fs";
import type { Socket as NetSocket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FleetConnection } from "../../../lib/client/connection.ts";
import { FleetMirror } from "../../../lib/client/mirror.ts";
import type { PanecastApp } from "../../../lib/app.ts";
import { allPanes } from "../../../lib/topology.ts";
import { startPanecast } from "../../helpers/server.ts";
import { TestTmux, until } from "../../helpers/tmux.ts";

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** The TCP socket under a FleetConnection's websocket (Node's ws client): pausing it stops every read. */
function tcpOf(conn: FleetConnection): { pause(): void; resume(): void; socketId: () => string } {
  const s = (conn as unknown as { socket: { id?: string; io: { engine: { transport: { ws: { _socket: NetSocket } } } } } }).socket;
  return {
    pause: () => s.io.engine.transport.ws._socket.pause(),
    resume: () => s.io.engine.transport.ws._socket.resume(),
    socketId: () => s.id!,
  };
}

/** The server's engine.io buffer for this client is empty: everything sent is on the wire. */
function flushed(app: PanecastApp, id: string): boolean {
  const conn = app.io.of("/").sockets.get(id)?.conn as unknown as { writeBuffer: unknown[] } | undefined;
  return !!conn && conn.writeBuffer.length === 0;
}

describe("a Node client applies answers in order with the batches around them", () => {
  it("keeps a pane that came after its subscribe answer, when both arrive in one read", async () => {
    const tmux = new TestTmux();
    cleanup.push(() => tmux.kill());
    // Panes that print nothing by themselves (a shell would redraw its prompt when the split resizes it).
    const first = await tmux.newSession("alpha", { command: "cat" });
    const { app, url } = await startPanecast(tmux);
    cleanup.push(() => app.close());
    await until(() => app.tracker.frame(first), "the first pane captured");

    const mirror = new FleetMirror();
    const conn = new FleetConnection(mirror, { url, transports: ["websocket"] });
    cleanup.push(() => conn.stop());
    conn.start();
    const tcp = tcpOf(conn);
    const socket = (conn as unknown as { socket: { once(e: "connect", cb: () => void): void } }).socket;
    // The connection's own connect handler runs first and sends `subscribe`; from here nothing is read.
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    tcp.pause();
    const id = tcp.socketId();
    await until(() => app.hub.deliveryOf(id)?.sent[first], "the subscribe answered");

    // A pane appears after the answer: its topology and screen go out in a batch behind it.
    const second = await tmux.split(first, "cat");
    const settled = (pane: string) => {
      const frame = app.tracker.frame(pane);
      const info = app.tracker.pane(pane);
      return !!frame && !!info && frame.height === info.height && app.hub.deliveryOf(id)?.sent[pane] === frame.seq;
    };
    await until(() => settled(first) && settled(second) && flushed(app, id), "both panes' current screens sent to the paused client");
    tcp.resume();

    // The answer to a later request comes after everything sent before it.
    const sock = (conn as unknown as { socket: { timeout(ms: number): { emitWithAck(e: "topology:get", p: object): Promise<unknown> } } }).socket;
    await sock.timeout(10_000).emitWithAck("topology:get", {});
    expect(allPanes(mirror.topology).map((p) => p.id).sort()).toEqual([first, second].sort());
    for (const pane of [first, second]) {
      expect(mirror.pane(pane)?.seq, pane).toBe(app.tracker.frame(pane)!.seq);
      expect(mirror.pane(pane)?.lines, pane).toEqual(app.tracker.frame(pane)!.lines);
    }
    // Nothing is held back for it: whatever is still pending now (a resource sample or a status that
    // came meanwhile, on a loaded machine) goes at the next tick.
    await until(() => app.hub.deliveryOf(id)?.pending === false, "nothing left pending for the client");
  });
});

const flood = (tag: string, n: number) => `for i in $(seq 1 ${n}); do echo "${tag} $i $(printf '%040d' $i)"; sleep 0.005; done; echo ${tag}-$((${n}+1))-done`;

describe("a client that stops reading", () => {
  it("is held at its window while it reads nothing, then ends with every pane's current screen and seq, nothing pending", async () => {
    const tmux = new TestTmux();
    cleanup.push(() => tmux.kill());
    const p1 = await tmux.newSession("alpha");
    const p2 = await tmux.split(p1);
    // Every frame read (no busy pace): enough batches to fill the client's window.
    const config = path.join(mkdtempSync(path.join(tmpdir(), "panecast-window-")), "panecast.yaml");
    writeFileSync(config, "watch:\n  busy_interval_ms: 0\n");
    const { app, url } = await startPanecast(tmux, ["--config", config]);
    cleanup.push(() => app.close());
    await until(() => app.tracker.frame(p2), "both panes captured");

    const mirror = new FleetMirror();
    const conn = new FleetConnection(mirror, { url, transports: ["websocket"] });
    cleanup.push(() => conn.stop());
    conn.start();
    const tcp = tcpOf(conn);
    await until(() => mirror.pane(p1) && mirror.pane(p2), "the subscription");
    const id = tcp.socketId();
    await until(() => app.hub.deliveryOf(id)?.acknowledges, "the client's first acknowledgement");

    // Socket buffers would take seconds of batches without the server noticing: the window must.
    tcp.pause();
    const skipped = app.hub.stats.skipped;
    await Promise.all([tmux.type(p1, flood("stop-a", 200)), tmux.type(p2, flood("stop-b", 200))]);
    for (const [p, tag] of [[p1, "stop-a"], [p2, "stop-b"]] as const) {
      await until(() => app.tracker.frame(p)!.lines.join("\n").includes(`${tag}-201-done`), `${tag} to end on the server`, 30_000);
    }
    expect(app.hub.stats.skipped).toBeGreaterThan(skipped);

    tcp.resume();
    const current = () => [p1, p2].every((p) => mirror.pane(p)?.seq === app.tracker.frame(p)!.seq);
    await until(current, "the client to hold every pane's current seq");
    for (const p of [p1, p2]) expect(mirror.pane(p)!.lines, p).toEqual(app.tracker.frame(p)!.lines);
    // Nothing is held back for it: whatever is still pending now (a resource sample or a status that
    // came meanwhile, on a loaded machine) goes at the next tick.
    await until(() => app.hub.deliveryOf(id)?.pending === false, "nothing left pending for the client");
  });
});
