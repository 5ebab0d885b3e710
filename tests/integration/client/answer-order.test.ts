import type { Socket as NetSocket } from "node:net";
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
    expect(app.hub.deliveryOf(id)!.pending).toBe(false);
  });
});
