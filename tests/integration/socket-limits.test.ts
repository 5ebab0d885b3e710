import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../lib/app.ts";
import type { Ack, SubscribeResult } from "../../lib/protocol.ts";
import { startWithAuth } from "../helpers/auth.ts";
import { client, type TestClient } from "../helpers/server.ts";
import { TestTmux, until } from "../helpers/tmux.ts";

/**
 * What one socket message may cost the server (bytes, and seqs in a subscribe), and that an answer
 * the server records as sent is an answer the client gets.
 */
const tmux = new TestTmux();
let app: PanecastApp;
let url: string;
let token: string;
let pane: string;
const open: TestClient[] = [];

beforeAll(async () => {
  pane = await tmux.newSession("limits");
  const s = await startWithAuth(tmux, ["watch:", "  max_panes: 50", "limits:", "  max_queued_packets: 8", ""].join("\n"));
  ({ app, url } = s);
  token = app.bootstrapToken!;
});

afterAll(async () => {
  for (const c of open) c.close();
  await app?.close();
  await tmux.kill();
});

async function connect(): Promise<TestClient> {
  const c = await client(url, { token });
  open.push(c);
  await c.sessions;
  return c;
}

/** The TCP socket under a socket.io-client websocket, to send several messages in one write. */
function tcpOf(c: TestClient): { cork(): void; uncork(): void } {
  return (c.io.engine.transport as unknown as { ws: { _socket: { cork(): void; uncork(): void } } }).ws._socket;
}

const seqsOf = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`%${i + 1}`, 1]));

describe("socket message bounds", () => {
  it("refuses a subscribe carrying more seqs than watch.max_panes with MESSAGE_TOO_LARGE, and takes one at the cap", async () => {
    const c = await connect();
    const over = await c.emitWithAck("subscribe", { have: { epoch: "x", seqs: seqsOf(51) } });
    expect("error" in over && over.error.code).toBe("MESSAGE_TOO_LARGE");
    const at = await c.emitWithAck("subscribe", { have: { epoch: "x", seqs: seqsOf(50) } });
    expect("data" in at).toBe(true);
  });

  it("answers a message over hub.max_message_bytes (64 KiB by default) with MESSAGE_TOO_LARGE, keeps the connection, and still takes a large valid one", async () => {
    const c = await connect();
    // 10,000 seqs: about 150 KB, under the engine's hard bound (twice the setting), over the event bound.
    const big = await c.emitWithAck("subscribe", { have: { epoch: "x", seqs: seqsOf(10_000) } });
    expect("error" in big && big.error.code).toBe("MESSAGE_TOO_LARGE");
    expect(c.connected).toBe(true);
    // A send of the longest text allowed still fits.
    const r = await c.emitWithAck("pane:send", { pane, text: "x".repeat(16_384) });
    expect("error" in r ? r.error.code : "ok").not.toBe("MESSAGE_TOO_LARGE");
    const t = await c.emitWithAck("topology:get", {});
    expect("data" in t).toBe(true);
  });
});

describe("answers that change the server's record", () => {
  it("never records frames as sent for a subscribe whose answer the client does not get", async () => {
    const c = await connect();
    // Eleven messages in one TCP write: the server decodes them in one read and answers them in one
    // turn, so the transport still holds the first answers (max_queued_packets: 8) when the subscribe's is due.
    const got: Array<Ack<SubscribeResult>> = [];
    let topologies = 0;
    tcpOf(c).cork();
    for (let i = 0; i < 10; i++) c.emit("topology:get", {}, () => topologies++);
    c.emit("subscribe", {}, (r) => got.push(r));
    tcpOf(c).uncork();
    // The first eight answers fit; once they are here the burst's turn is over, and a request sent
    // now is read apart. Answers come in order: once it is answered, the subscribe's came or never will.
    await until(() => topologies >= 8, "the answers that fit");
    await c.emitWithAck("topology:get", {});
    const sent = app.hub.deliveryOf(c.id!)!.sent;
    const answered = got[0] && "data" in got[0] ? got[0].data.updates.map((u) => u.pane) : [];
    // Every pane the hub thinks this client has, it was sent.
    for (const p of Object.keys(sent)) expect(answered).toContain(p);
  });
});
