import { readFileSync } from "node:fs";
import { Manager } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../lib/app.ts";
import { startWithAuth } from "../helpers/auth.ts";
import { backlog, tokenBacklogBytes } from "../../lib/realtime/flood.ts";
import { historyReadsInFlight } from "../../lib/realtime/panes.handlers.ts";
import { PollingClient } from "../helpers/polling-client.ts";
import { client, type TestClient } from "../helpers/server.ts";
import { TestTmux, until } from "../helpers/tmux.ts";

/**
 * A client that sends junk and never reads must not grow the server: it is answered a few times, then
 * ignored, then disconnected; other sockets of its token go on working; and connections that never
 * authenticate count against the per-address limit.
 */
const tmux = new TestTmux();
let app: PanecastApp;
let url: string;
let audit: string;
let token: string;
const open: Array<{ close(): unknown }> = [];

beforeAll(async () => {
  await tmux.newSession("flood");
  const s = await startWithAuth(
    tmux,
    [
      "limits:",
      "  socket_messages_per_second: 5",
      "  socket_messages_burst: 10",
      "  messages_per_second: 20",
      "  messages_burst: 40",
      "  flood_disconnect_after: 300",
      "  max_queued_packets: 32",
      "  max_connections_per_ip: 4",
      "",
    ].join("\n"),
  );
  ({ app, url, audit } = s);
  token = app.bootstrapToken!;
});

afterAll(async () => {
  for (const c of open) c.close();
  await app?.close();
  await tmux.kill();
});

/** The TCP socket under a socket.io-client websocket, to stop reading from it. */
function tcpOf(c: TestClient): { pause(): void; resume(): void } {
  return (c.io.engine.transport as unknown as { ws: { _socket: { pause(): void; resume(): void } } }).ws._socket;
}

describe("floods", () => {
  it("answers a flooding client that does not read only a few times, disconnects it (audited), and spares its token's other sockets", async () => {
    const bystander = await client(url, { token });
    const flooder = await client(url, { token });
    open.push(bystander, flooder);
    const closed = new Promise<string>((resolve) => flooder.once("disconnect", (reason) => resolve(reason)));
    let acks = 0;
    tcpOf(flooder).pause();
    const started = Date.now();
    for (let i = 0; i < 2000; i++) flooder.emit("topology:get", {}, () => acks++);
    // The bystander shares the token and the address: the flooder used up only its own bucket.
    const r = await bystander.emitWithAck("topology:get", {});
    expect("data" in r).toBe(true);
    await until(async () => {
      await app.auth.audit.flush();
      return readFileSync(audit, "utf8").includes('"socket.flood"');
    }, "the flood audit line");
    const seconds = (Date.now() - started) / 1000;
    tcpOf(flooder).resume();
    expect(await closed).toBe("io server disconnect");
    // At most the socket's bucket (its burst, and what refilled at 5/s while the flood lasted, however
    // long a loaded machine took) plus the few refusals answered per 10 s window.
    expect(acks).toBeLessThanOrEqual(10 + Math.ceil(5 * seconds) + 5 * Math.ceil(seconds / 10));
    const line = readFileSync(audit, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.event === "socket.flood");
    expect(line).toMatchObject({ event: "socket.flood", token: "admin", outcome: "disconnected", remote: "127.0.0.1" });
    expect(bystander.connected).toBe(true);
    expect("data" in (await bystander.emitWithAck("topology:get", {}))).toBe(true);
    bystander.close();
  });

  it("queues nothing more to a client within its rate that does not read: its requests are dropped, then it is disconnected", async () => {
    const t2 = new TestTmux();
    const pane = await t2.newSession("big", { width: 200, height: 50 });
    // A pane with a long scrollback, so that every pane:history answer is large.
    await t2.tmux("send-keys", "-t", pane, "-l", "yes $(printf '%0150d' 0) | head -n 3000");
    await t2.tmux("send-keys", "-t", pane, "Enter");
    await until(async () => Number((await t2.tmux("display-message", "-p", "-t", pane, "#{history_size}")).trim()) >= 1500, "the scrollback");
    const s = await startWithAuth(
      t2,
      "limits:\n  socket_messages_per_second: 100000\n  socket_messages_burst: 100000\n  messages_per_second: 100000\n  messages_burst: 100000\n  flood_disconnect_after: 100\n  max_queued_packets: 16\n",
    );
    try {
      const c = await client(s.url, { token: s.app.bootstrapToken! });
      await c.emitWithAck("subscribe", {});
      const closed = new Promise<string>((resolve) => c.once("disconnect", (reason) => resolve(reason)));
      let acks = 0;
      tcpOf(c).pause();
      const sent = 600;
      for (let i = 0; i < sent; i++) c.emit("pane:history", { pane, lines: 2000 }, () => acks++);
      await until(async () => {
        await s.app.auth.audit.flush();
        return readFileSync(s.audit, "utf8").includes('"socket.flood"');
      }, "the flood audit line", 60_000);
      tcpOf(c).resume();
      expect(await closed).toBe("io server disconnect");
      expect(acks).toBeLessThan(sent);
      c.close();
    } finally {
      await s.app.close();
      await t2.kill();
    }
  });

  it("bounds in bytes what 16 non-reading sockets of one token can have queued by asking for long histories, refusing the rest with a code", async () => {
    const t2 = new TestTmux();
    const pane = await t2.newSession("hist", { width: 200, height: 50 });
    await t2.tmux("send-keys", "-t", pane, "-l", "yes $(printf '%0150d' 0) | head -n 3000");
    await t2.tmux("send-keys", "-t", pane, "Enter");
    await until(async () => Number((await t2.tmux("display-message", "-p", "-t", pane, "#{history_size}")).trim()) >= 1500, "the scrollback");
    // An answer of 1,500 to 2,000 lines of 151 characters is 240 to 320 KB: one fits a socket, not two.
    const perSocket = 400_000;
    const perToken = 1_000_000;
    const s = await startWithAuth(t2, `limits:\n  max_queued_bytes: ${perSocket}\n  max_queued_bytes_per_token: ${perToken}\n`);
    const pollers: PollingClient[] = [];
    try {
      // Long-polling clients that stop asking: everything sent to them waits in the server's memory.
      for (let i = 0; i < 16; i++) {
        const c = new PollingClient(new URL(s.url).origin);
        await c.connect({ token: s.app.bootstrapToken! });
        pollers.push(c);
      }
      const sockets = [...s.app.io.of("/").sockets.values()];
      expect(sockets).toHaveLength(16);
      const tokenId = sockets[0]!.data.principal.tokenId;
      const ask = { event: "pane:history", payload: { pane, lines: 2000 } };
      // Three at once per socket: the second and third arrive while the first is read.
      await Promise.all(pollers.map((c) => c.emitAll([1, 2, 3].map((ackId) => ({ ...ask, ackId })))));
      await until(() => historyReadsInFlight() === 0, "the history reads");
      expect(tokenBacklogBytes(tokenId)).toBeLessThanOrEqual(perToken);
      // Then one more each, one at a time: a socket that holds an answer has no room for a second.
      await Promise.all(pollers.map((c) => c.emitAll([{ ...ask, ackId: 4 }])));
      await until(() => historyReadsInFlight() === 0, "the history reads");
      for (const sock of sockets) expect(backlog(sock).bytes).toBeLessThanOrEqual(perSocket);
      expect(tokenBacklogBytes(tokenId)).toBeLessThanOrEqual(perToken);

      const answers = await Promise.all(
        pollers.map(async (c) => {
          const got = new Map<number, { data?: { lines: string[] }; error?: { code: string } }>();
          await until(async () => {
            for (const m of await c.read()) if ("ack" in m) got.set(m.ack, m.data as { data?: { lines: string[] }; error?: { code: string } });
            return got.size === 4;
          }, "four answers");
          return got;
        }),
      );
      let served = 0;
      let refusedForBytes = 0;
      let answerBytes = 0;
      for (const got of answers) {
        expect(got.get(2)?.error?.code).toBe("RATE_LIMITED");
        expect(got.get(3)?.error?.code).toBe("RATE_LIMITED");
        const firstAndLast = [got.get(1)!, got.get(4)!];
        // Never two answers queued to one socket (one is over half its bound).
        expect(firstAndLast.filter((a) => a.data).length).toBeLessThanOrEqual(1);
        for (const a of firstAndLast) {
          if (a.data) {
            expect(a.data.lines.length).toBeGreaterThanOrEqual(1500);
            answerBytes = JSON.stringify(a).length;
            served++;
          } else {
            expect(a.error?.code).toBe("RATE_LIMITED");
            refusedForBytes++;
          }
        }
      }
      // Only as many answers as fit under the token's bound at once were ever queued.
      expect(served).toBeGreaterThanOrEqual(1);
      expect(served).toBeLessThanOrEqual(Math.floor(perToken / (answerBytes * 0.95)));
      expect(refusedForBytes).toBe(32 - served);
    } finally {
      for (const c of pollers) await c.close();
      await s.app.close();
      await t2.kill();
    }
  });

  it("counts engine.io connections that never authenticate against the per-address limit", async () => {
    const managers: Manager[] = [];
    // Engine-level connections only: no namespace, no token. One over the limit is let in so that
    // an authenticated client over it gets a coded refusal; past that, nothing more.
    for (let i = 0; i < 5; i++) {
      const m = new Manager(new URL(url).origin, { path: "/socket.io", transports: ["websocket"], reconnection: false, forceNew: true, autoConnect: false });
      managers.push(m);
      open.push({ close: () => m.engine?.close() });
      await new Promise<void>((resolve, reject) => m.open((err) => (err ? reject(err) : resolve())));
    }
    await expect(client(url, { token })).rejects.toThrow();
    for (const m of managers) m.engine.close();
    await until(async () => {
      try {
        const c = await client(url, { token });
        c.close();
        return true;
      } catch {
        return false;
      }
    }, "a connection once the idle ones closed");
  });
});
