import { FleetMirror } from "../../lib/client/mirror.ts";
import type { SubscribeResult } from "../../lib/protocol.ts";
import { until } from "./tmux.ts";

/**
 * A Socket.IO client speaking the Engine.IO v4 long-polling protocol by hand, so a test can stop
 * reading at will: while it sends no GET, everything the server sends waits in the server's buffer.
 */
export class PollingClient {
  private readonly base: string;
  sid = "";
  socketId = "";

  constructor(origin: string, path = "/socket.io") {
    this.base = `${origin}${path}/?EIO=4&transport=polling`;
  }

  /** `auth` is the namespace handshake's payload (`{ token }` with auth on). */
  async connect(auth?: Record<string, string>): Promise<void> {
    const open = await this.get();
    const handshake = JSON.parse(open[0]!.slice(1)) as { sid: string };
    this.sid = handshake.sid;
    await this.post(auth ? `40${JSON.stringify(auth)}` : "40");
    for (;;) {
      for (const p of await this.get()) {
        if (p.startsWith("40")) {
          this.socketId = (JSON.parse(p.slice(2)) as { sid: string }).sid;
          return;
        }
      }
    }
  }

  /** Sends an event with an ack id; the ack arrives in a later read as `43<id>[…]`. */
  async emit(event: string, payload: unknown, ackId?: number): Promise<void> {
    await this.post(`42${ackId ?? ""}${JSON.stringify([event, payload])}`);
  }

  /** Several events with ack ids in one POST: the server takes them in one go, in this order. */
  async emitAll(events: Array<{ event: string; payload: unknown; ackId: number }>): Promise<void> {
    await this.post(events.map((e) => `42${e.ackId}${JSON.stringify([e.event, e.payload])}`).join("\x1e"));
  }

  /** One GET: every packet the server had waiting (answers pings itself). */
  async read(): Promise<Array<{ event: string; data: unknown } | { ack: number; data: unknown }>> {
    const out: Array<{ event: string; data: unknown } | { ack: number; data: unknown }> = [];
    for (const p of await this.get()) {
      if (p === "2") await this.post("3");
      else if (p.startsWith("42")) {
        const [event, data] = JSON.parse(p.slice(2)) as [string, unknown];
        out.push({ event, data });
      } else if (p.startsWith("43")) {
        const m = /^43(\d+)(.*)$/s.exec(p)!;
        out.push({ ack: Number(m[1]), data: (JSON.parse(m[2]!) as unknown[])[0] });
      }
    }
    return out;
  }

  async close(): Promise<void> {
    await this.post("1").catch(() => {});
  }

  private async get(): Promise<string[]> {
    const res = await fetch(this.sid ? `${this.base}&sid=${this.sid}` : this.base);
    if (!res.ok) throw new Error(`polling GET ${res.status}`);
    return (await res.text()).split("\x1e");
  }

  private async post(body: string): Promise<void> {
    const res = await fetch(`${this.base}&sid=${this.sid}`, { method: "POST", body, headers: { "content-type": "text/plain;charset=UTF-8" } });
    if (!res.ok) throw new Error(`polling POST ${res.status}`);
    await res.text();
  }
}

/**
 * A polling client subscribed to everything, with a mirror of what its subscribe answer carried,
 * once that answer holds `pane`. From here the test decides when (and whether) it reads again.
 */
export async function subscribedPoller(url: string, pane: string): Promise<{ client: PollingClient; mirror: FleetMirror }> {
  const client = new PollingClient(new URL(url).origin);
  await client.connect();
  await client.emit("subscribe", {}, 1);
  const mirror = new FleetMirror();
  try {
    await until(async () => {
      for (const m of await client.read()) if ("ack" in m) mirror.subscribed((m.data as { data: SubscribeResult }).data);
      return mirror.pane(pane);
    }, "the subscription");
  } catch (err) {
    await client.close();
    throw err;
  }
  return { client, mirror };
}
