// npm run bench:latency — in one run, side by side:
//  1. pane-write → client-receipt latency, p50/p99, with 1, 10 and 100 clients, push vs 500 ms polling;
//  2. server CPU and RSS over 20 s idle with 50 panes, push vs poll, and tmux processes spawned meanwhile;
//  3. bytes on the wire for a pane that appends one line: diff vs full frame.
// The server runs in its own process (no Next.js); clients are real socket.io-client websockets.
// BENCH_BEFORE=<another checkout> compares that checkout's lib/ ("before") with this one's ("after"),
// both in push mode, instead of push with poll. BENCH_FOCUS=1: every client shows the writing pane in
// its focused view (`view:set` focus), as a page with that pane open does.
import { execFileSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { io, type Socket } from "socket.io-client";
import type { Batch, PaneUpdate } from "../lib/protocol.ts";
import { TestTmux } from "../tests/helpers/tmux.ts";
import { median, percentile, startBenchServer, stopBenchServer, table } from "./fleet.ts";
import { HZ, ownTicks, rssMb, treeTicks } from "./proc.ts";

const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 20);
const dir = mkdtempSync(path.join(tmpdir(), "panecast-bench-"));
const fifo = path.join(dir, "writer.fifo");
execFileSync("mkfifo", [fifo]);

const tmux = new TestTmux();
const writer = await tmux.newSession("writer", { command: `bash -c 'while :; do cat ${fifo}; done'`, width: 100, height: 30 });
for (let i = 0; i < 49; i++) await tmux.newSession(`idle${i}`, { command: `bash -c 'printf "\\033[32magent ${i}\\033[0m ready\\n"; exec sleep 100000'`, width: 100, height: 30 });
// A full screen of agent-like output, as a busy pane has, before anything is measured.
const agentLine = (i: number, tail = "") => `\x1b[32m●\x1b[0m Update(lib/module${i}.ts) \x1b[90m⎿ Updated with ${i % 13} additions and ${i % 7} removals\x1b[0m ${tail}`;
await writeFile(fifo, Array.from({ length: 40 }, (_, i) => agentLine(i)).join("\n") + "\n");
const tmuxPid = Number((await tmux.tmux("display-message", "-p", "#{pid}")).trim());

const BEFORE = process.env.BENCH_BEFORE ? path.resolve(process.env.BENCH_BEFORE) : null;
const FOCUS = process.env.BENCH_FOCUS === "1";
/** The two servers compared: push and poll, or (BENCH_BEFORE) before and after, both push. */
type Mode = "push" | "poll";
const VARIANTS: Array<{ name: string; mode: Mode; root?: string }> = BEFORE
  ? [
      { name: "before", mode: "push", root: BEFORE },
      { name: "after", mode: "push" },
    ]
  : [
      { name: "push", mode: "push" },
      { name: "poll", mode: "poll" },
    ];
const [A, B] = [VARIANTS[0]!.name, VARIANTS[1]!.name];

async function startServer(v: (typeof VARIANTS)[number]): Promise<{ child: ChildProcess; url: string }> {
  const cfg = path.join(dir, `${v.name}.yaml`);
  // 100 clients from one address: above the default per-address limits.
  writeFileSync(cfg, `watch:\n  mode: ${v.mode}\npoll:\n  base_interval_ms: 500\n  max_interval_ms: 500\nlimits:\n  max_connections_per_ip: 1000\n  messages_burst: 10000\n`);
  return startBenchServer(cfg, tmux.socketName, dir, { root: v.root });
}


async function connectClients(url: string, n: number): Promise<Socket[]> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const s = io(url, { transports: ["websocket"], reconnection: false, forceNew: true });
      await new Promise<void>((resolve, reject) => {
        s.once("connect", () => resolve());
        s.once("connect_error", (e) => reject(new Error(`bench client refused: ${e.message}`)));
      });
      await s.emitWithAck("subscribe", {});
      // An older server refuses the field (BAD_REQUEST, nothing changes): it reads every pane at its frame pace anyway.
      if (FOCUS) s.emit("view:set", { far: [], focus: [writer] });
      return s;
    }),
  );
}

interface LatencyResult {
  p50: number;
  p99: number;
  diffBytes: number[];
  fullBytes: number[];
}

async function measureLatency(url: string, clients: number, samples: number, tag: string): Promise<LatencyResult> {
  const socks = await connectClients(url, clients);
  const lat: number[] = [];
  const diffBytes: number[] = [];
  const fullBytes: number[] = [];
  let lines: string[] = [];
  for (let i = 0; i < samples; i++) {
    const mark = `mark-${tag}-${clients}-${i}`;
    let got = 0;
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5000);
      socks.forEach((s, k) => {
        const on = (b: Batch) => {
          const u = b.updates?.find((x: PaneUpdate) => x.pane === writer && JSON.stringify(x.delta).includes(mark));
          if (!u) return;
          lat.push(performance.now() - t0);
          s.off("batch", on);
          if (k === 0 && u.delta.kind === "diff") {
            diffBytes.push(Buffer.byteLength(JSON.stringify(u.delta)));
            fullBytes.push(Buffer.byteLength(JSON.stringify({ kind: "full", lines })));
          }
          if (++got === socks.length) {
            clearTimeout(timer);
            resolve();
          }
        };
        s.on("batch", on);
      });
    });
    const t0 = performance.now();
    await writeFile(fifo, `${agentLine(i, mark)}\n`);
    await done;
    lines = (await tmux.tmux("capture-pane", "-p", "-e", "-t", writer)).split("\n");
    await new Promise((r) => setTimeout(r, 40));
  }
  for (const s of socks) s.close();
  return { p50: median(lat), p99: percentile(lat, 99), diffBytes, fullBytes };
}

async function spawned(url: string): Promise<number> {
  const h = (await (await fetch(`${url}/api/healthz`)).json()) as { tmux: { processesSpawned: number } };
  return h.tmux.processesSpawned;
}

async function measureIdle(url: string, pid: number): Promise<{ cpu: number; tmuxCpu: number; rss: number; procs: number }> {
  const [watcher] = await connectClients(url, 1);
  await new Promise((r) => setTimeout(r, 2000));
  const s0 = await spawned(url);
  // The server's tree: itself, its live children (control clients) and the children it reaped (git, tmux).
  const c0 = treeTicks(pid);
  const t0 = ownTicks(tmuxPid);
  const w0 = performance.now();
  await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
  const secs = (performance.now() - w0) / 1000;
  const cpu = ((treeTicks(pid) - c0) / HZ / secs) * 100;
  const tmuxCpu = ((ownTicks(tmuxPid) - t0) / HZ / secs) * 100;
  const procs = (await spawned(url)) - s0; // healthz answers from state: it runs no tmux
  const rss = rssMb(pid);
  watcher!.close();
  return { cpu, tmuxCpu, rss, procs };
}

const results: Record<string, { lat: Map<number, LatencyResult>; idle: Awaited<ReturnType<typeof measureIdle>> }> = {};
for (const v of VARIANTS) {
  const { child, url } = await startServer(v);
  const lat = new Map<number, LatencyResult>();
  for (const n of [1, 10, 100]) lat.set(n, await measureLatency(url, n, v.mode === "push" ? 40 : 16, v.name));
  const idle = await measureIdle(url, child.pid!);
  results[v.name] = { lat, idle };
  await stopBenchServer(child);
}

const latRows: Array<Array<string | number>> = [["clients", `${A} p50 ms`, `${A} p99 ms`, `${B} p50 ms`, `${B} p99 ms`, `p50 ${B}/${A}`]];
for (const n of [1, 10, 100]) {
  const p = results[A]!.lat.get(n)!;
  const q = results[B]!.lat.get(n)!;
  latRows.push([n, p.p50, p.p99, q.p50, q.p99, q.p50 / p.p50]);
}
console.log(`\n1. pane write -> client receipt (one pane printing a line; every client must receive it${FOCUS ? "; every client shows the pane in its focused view" : ""})\n`);
console.log(table(latRows));

const idleRows: Array<Array<string | number>> = [["server", "server tree CPU %", "tmux CPU %", "server RSS MB", "tmux procs spawned"]];
for (const v of VARIANTS) {
  const r = results[v.name]!.idle;
  idleRows.push([v.name, r.cpu, r.tmuxCpu, r.rss, r.procs]);
}
console.log(`\n2. ${IDLE_SECONDS} s idle, 50 panes, one client watching (CPU in % of one core; the server tree includes its children, reaped ones such as git too)\n`);
console.log(table(idleRows));

const all = [...results[A]!.lat.values()];
const diff = median(all.flatMap((r) => r.diffBytes));
const full = median(all.flatMap((r) => r.fullBytes));
console.log("\n3. bytes per update for a pane that appends one line (median)\n");
console.log(table([["diff bytes", "full frame bytes", "diff / full"], [diff, full, `${((diff / full) * 100).toFixed(1)} %`]]));

await tmux.kill();
