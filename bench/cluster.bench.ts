// npm run bench:cluster — a cluster on one real redis-server, in one run (default 5 nodes × 40 panes,
// 10 of them busy on each node; BENCH_NODES, BENCH_PANES, BENCH_BUSY change it):
//  1. pane-write on node beta → receipt by a client on alpha (through Redis) vs a client on beta
//     itself: p50/p99, and the p99 Redis adds (target: ≤ 10 ms);
//  2. a send to beta's pane from alpha (over the pub/sub command channel) vs from beta itself: the
//     round trip the cross-node request adds;
//  3. updates/s through Redis, Redis commands/s and bytes/s in and out, and Redis memory used.
// Each node is its own process (tests/helpers/cluster-node.ts, no Next.js) on its own private tmux
// server; clients are real socket.io-client websockets in this process. BENCH_SECONDS (default 10) sets the busy phase, BENCH_SAMPLES the writes.
import { createClient } from "redis";
import { io, type Socket } from "socket.io-client";
import { NodeProcess } from "../tests/helpers/node-process.ts";
import type { Batch } from "../lib/protocol.ts";
import { TestRedis } from "../tests/helpers/redis.ts";
import { TestTmux } from "../tests/helpers/tmux.ts";
import { median, percentile, table } from "./fleet.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 50);
const BUSY = Number(process.env.BENCH_BUSY ?? 10);
const PANES = Number(process.env.BENCH_PANES ?? 40);
const NODES = Math.max(2, Number(process.env.BENCH_NODES ?? 5));
const NAMES = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"].slice(0, NODES);

const redis = new TestRedis();
await redis.start();
const fleets: Record<string, TestTmux> = Object.fromEntries(NAMES.map((n) => [n, new TestTmux()]));
// One line per 100 ms without spawning a process per line (read -t on a FIFO nobody writes to
// stands in for sleep), so the benchmark measures panecast and Redis rather than fork load.
const busy = `bash -c 'f=$(mktemp -u); mkfifo "$f"; exec 9<>"$f"; rm "$f"; i=0; while :; do i=$((i+1)); echo "working on step $i $RANDOM"; read -t 0.1 -u 9; done'`;
// Each pane a window of its own (80×24): BUSY busy ones, the rest idle shells, the writer among them on beta.
for (const t of Object.values(fleets)) {
  await t.newSession("busy", { command: busy, width: 80, height: 24 });
  for (let i = 1; i < BUSY; i++) await t.tmux("new-window", "-d", "-t", "busy", busy);
  await t.newSession("idle", { width: 80, height: 24 });
  for (let i = BUSY + 1; i < PANES - (t === fleets.beta ? 1 : 0); i++) await t.tmux("new-window", "-d", "-t", "idle");
}
const writer = await fleets.beta!.newSession("writer", { width: 100, height: 30 });

const procs: Record<string, NodeProcess> = Object.fromEntries(NAMES.map((n) => [n, new NodeProcess()]));
async function node(name: string): Promise<{ url: string }> {
  const env = { PANECAST_AUTH: "off", PANECAST_NODE: name, PANECAST_REDIS_URL: redis.url, PANECAST_AUDIT: `/tmp/panecast-bench-audit-${process.pid}.jsonl`, PANECAST_LOG_LEVEL: "warn" };
  return { url: await procs[name]!.start(["-L", fleets[name]!.socketName], env) };
}
const urls: Record<string, { url: string }> = {};
for (const n of NAMES) urls[n] = await node(n);
const alpha = urls.alpha!;
const beta = urls.beta!;
const r = createClient({ url: redis.url });
await r.connect();

async function subscribed(url: string): Promise<Socket> {
  const s = io(new URL(url).origin, { transports: ["websocket"], reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    s.once("connect", () => resolve());
    s.once("connect_error", reject);
  });
  await s.emitWithAck("subscribe", { filter: { panes: [`beta/${writer}`] } });
  return s;
}
const onAlpha = await subscribed(alpha.url);
const onBeta = await subscribed(beta.url);

/** When each client first saw a marker in an update of beta's writer pane. */
function watch(s: Socket, seen: Map<string, number>): void {
  s.on("batch", (b: Batch) => {
    const now = performance.now();
    for (const u of b.updates ?? []) {
      const lines = u.delta.kind === "full" ? u.delta.lines : u.delta.set.map(([, l]) => l);
      for (const l of lines) for (const m of l.matchAll(/mark-(\d+)-x/g)) if (!seen.has(m[1]!)) seen.set(m[1]!, now);
    }
  });
}
const seenA = new Map<string, number>();
const seenB = new Map<string, number>();
watch(onAlpha, seenA);
watch(onBeta, seenB);

// Let the nodes see each other's panes, then count what goes through Redis from here on.
await new Promise((resolve) => setTimeout(resolve, 3000));
const stat = async () => {
  const s = await r.info("stats");
  const n = (k: string) => Number(new RegExp(`${k}:(\\d+)`).exec(s)?.[1] ?? 0);
  return { cmds: n("total_commands_processed"), inBytes: n("total_net_input_bytes"), outBytes: n("total_net_output_bytes") };
};
const stat0 = await stat();
const info0 = await r.xInfoStream("panecast:updates");
const t0 = performance.now();

// 1. latency, measured while the 2 × 20 panes stay busy.
const sentAt = new Map<string, number>();
for (let i = 0; i < SAMPLES; i++) {
  const id = String(i);
  sentAt.set(id, performance.now());
  await fleets.beta!.tmux("send-keys", "-t", writer, "-l", `echo mark-${id}-x`);
  await fleets.beta!.tmux("send-keys", "-t", writer, "Enter");
  await new Promise((r) => setTimeout(r, Math.max(20, (SECONDS * 1000) / SAMPLES)));
}
await new Promise((r) => setTimeout(r, 1000));
const seconds = (performance.now() - t0) / 1000;
const stat1 = await stat();

// 2. a send's round trip (ack), from beta itself and from alpha through the command channel, alternating.
const sendLocal: number[] = [];
const sendRemote: number[] = [];
for (let i = 0; i < Math.min(SAMPLES, 30); i++) {
  for (const [s, out] of [[onBeta, sendLocal], [onAlpha, sendRemote]] as const) {
    const t = performance.now();
    await s.emitWithAck("pane:send", { pane: `beta/${writer}`, text: `s${i}` });
    out.push(performance.now() - t);
  }
}
const lat = (seen: Map<string, number>) => [...sentAt].flatMap(([id, t]) => (seen.has(id) ? [seen.get(id)! - t] : []));
const la = lat(seenA);
const lb = lat(seenB);

// 2. updates/s through Redis while every pane on both nodes is busy: entries added to the stream.
const info1 = await r.xInfoStream("panecast:updates");
const entries = (await r.xRange("panecast:updates", `(${info0.lastGeneratedId}`, info1.lastGeneratedId)).length;
const info = await r.info("memory");
const used = /used_memory:(\d+)/.exec(info)?.[1];
const streamLen = await r.xLen("panecast:updates");
await r.quit();

const fmt = (x: number) => x.toFixed(1);
console.log(`\ncluster: ${NODES} nodes × ${PANES} panes (${BUSY} busy on each, one line per 100 ms), one redis-server, every process on this machine's 2 shared cores; ${SAMPLES} marked writes on beta over ${seconds.toFixed(1)} s\n`);
console.log(
  table([
    ["client", "received", "p50 ms", "p99 ms"],
    ["on beta (local)", `${lb.length}/${SAMPLES}`, fmt(median(lb)), fmt(percentile(lb, 99))],
    ["on alpha (via Redis)", `${la.length}/${SAMPLES}`, fmt(median(la)), fmt(percentile(la, 99))],
  ]),
);
console.log(`\nadded p99 through Redis: ${fmt(percentile(la, 99) - percentile(lb, 99))} ms (target ≤ 10 ms)`);
console.log(`send round trip from beta (local) p50/p99: ${fmt(median(sendLocal))} / ${fmt(percentile(sendLocal, 99))} ms; from alpha (pub/sub command channel): ${fmt(median(sendRemote))} / ${fmt(percentile(sendRemote, 99))} ms; added p50: ${fmt(median(sendRemote) - median(sendLocal))} ms`);
console.log(`updates/s through Redis (all nodes): ${(entries / seconds).toFixed(0)}`);
console.log(`Redis commands/s: ${((stat1.cmds - stat0.cmds) / seconds).toFixed(0)}; bytes/s in ${((stat1.inBytes - stat0.inBytes) / seconds / 1024).toFixed(0)} KiB, out ${((stat1.outBytes - stat0.outBytes) / seconds / 1024).toFixed(0)} KiB`);
console.log(`Redis memory used: ${used ? (Number(used) / 1024 / 1024).toFixed(2) : "?"} MiB (update stream: ${streamLen} entries kept)`);

onAlpha.disconnect();
onBeta.disconnect();
for (const p of Object.values(procs)) await p.kill();
for (const t of Object.values(fleets)) await t.kill();
await redis.stop();
process.exit(0);
