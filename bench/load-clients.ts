// A worker process for bench/load.bench.ts: holds many socket.io clients and measures, for every pane
// update they receive, the time since the line was written (the line carries its write time).
// Runs as `node --import tsx bench/load-clients.ts`; driven over IPC by the bench.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { io, type Socket } from "socket.io-client";
import { BatchAcks } from "../lib/client/acks.ts";
import type { Batch, PaneUpdate } from "../lib/protocol.ts";

export type WorkerCommand = { cmd: "connect"; url: string; clients: number } | { cmd: "start" } | { cmd: "stop" } | { cmd: "close" };
export type WorkerReply =
  | { type: "connected" }
  | { type: "error"; message: string }
  | { type: "stats"; updates: number; hist: Array<[number, number]>; markers: MarkerReceipts; loopDelayMaxMs: number; loopDelayP99Ms: number };

/** Per marker number: how many of this worker's clients received it, and when the last of them did. */
export type MarkerReceipts = Array<[marker: number, clients: number, lastAt: number]>;

/** The write time a bench line carries: `MK<epoch ms with decimals>;`. */
const MARK = /MK(\d+\.\d+);/g;
/** A numbered marker on the quiet pane: `QM<n>;` (its write time is kept by the bench). */
const QUIET = /QM(\d+);/g;
/** Latency histogram: 0.1 ms buckets up to 60 s. */
const BUCKET_MS = 0.1;
const hist = new Uint32Array(600_000);
let updates = 0;
let counting = false;
/** How late this worker's own event loop runs: a receipt can be no earlier than the loop gets to it. */
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
/** marker -> [clients that received it, the last receipt time]. */
const markers = new Map<number, [number, number]>();
const sockets: Socket[] = [];

const now = () => performance.timeOrigin + performance.now();

/**
 * THE one place that knows how pane updates arrive on the wire: calls `on` for every update a message
 * carries (one `batch` per frame tick, protocol 2).
 */
export function onPaneUpdates(socket: Socket, on: (u: PaneUpdate) => void): void {
  // Acknowledged as lib/client does, so the hub's flow control sees what a real client does.
  const acks = new BatchAcks((n) => socket.emit("batch:ack", { n }));
  socket.on("batch", (b: Batch) => {
    for (const u of b.updates ?? []) on(u);
    acks.applied(b.n);
  });
  socket.on("disconnect", () => acks.reset());
}

/**
 * The newest write time each client has seen per pane, so a line that moves on screen counts once; and
 * the newest quiet-pane marker, so each marker counts once per client (a client that only ever gets a
 * later screen, after the marker scrolled off, never counts it: the bench reports it missing).
 */
function receiver(): (u: PaneUpdate) => void {
  const seen = new Map<string, number>();
  let newestMarker = -1;
  return (u) => {
    const at = now();
    const lines = u.delta.kind === "full" ? u.delta.lines : u.delta.set.map(([, l]) => l);
    // Markers count from the subscription on, not from "start": a worker whose loop runs late would
    // take "start" after the first markers and miss them.
    let top = newestMarker;
    for (const line of lines) {
      for (const m of line.matchAll(QUIET)) {
        const n = Number(m[1]);
        if (n <= newestMarker) continue;
        const r = markers.get(n);
        if (r) {
          r[0]++;
          r[1] = at;
        } else markers.set(n, [1, at]);
        top = Math.max(top, n);
      }
    }
    newestMarker = top;
    if (!counting) return;
    updates++;
    let newest = seen.get(u.pane) ?? 0;
    for (const line of lines) {
      for (const m of line.matchAll(MARK)) {
        const t = Number(m[1]);
        if (t <= newest) continue;
        hist[Math.min(hist.length - 1, Math.round((at - t) / BUCKET_MS))]!++;
        newest = Math.max(newest, t);
      }
    }
    seen.set(u.pane, newest);
  };
}

async function connect(url: string, n: number): Promise<void> {
  // A few at a time: a thousand handshakes at once only measure the accept queue.
  for (let i = 0; i < n; i += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, n - i) }, async () => {
        // A loaded 2-core machine may take longer than the default 20 s to answer a handshake.
        const s = io(url, { transports: ["websocket"], reconnection: false, forceNew: true, timeout: 60_000 });
        await new Promise<void>((resolve, reject) => {
          s.once("connect", () => resolve());
          s.once("connect_error", (e) => reject(new Error(`bench client refused: ${e.message}`)));
        });
        onPaneUpdates(s, receiver());
        // What the browser's page asks for: every pane, then the event stream.
        await s.emitWithAck("subscribe", {});
        await s.emitWithAck("events:subscribe", {});
        sockets.push(s);
      }),
    );
  }
}

function send(r: WorkerReply): void {
  process.send!(r);
}

process.on("message", (m: WorkerCommand) => {
  switch (m.cmd) {
    case "connect":
      connect(m.url, m.clients).then(
        () => send({ type: "connected" }),
        (e: Error) => send({ type: "error", message: e.message }),
      );
      return;
    case "start":
      hist.fill(0);
      updates = 0;
      loopDelay.reset();
      counting = true;
      return;
    case "stop": {
      counting = false;
      const pairs: Array<[number, number]> = [];
      for (let i = 0; i < hist.length; i++) if (hist[i]) pairs.push([i * BUCKET_MS, hist[i]!]);
      send({ type: "stats", updates, hist: pairs, markers: [...markers].map(([n, [clients, at]]) => [n, clients, at]), loopDelayMaxMs: loopDelay.max / 1e6, loopDelayP99Ms: loopDelay.percentile(99) / 1e6 });
      return;
    }
    case "close":
      for (const s of sockets) s.close();
      process.exit(0);
  }
});
