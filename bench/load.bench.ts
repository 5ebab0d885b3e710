// npm run bench:load — the same load on two servers, side by side in one run: the two tmux command
// channels (default), or two builds of panecast (BENCH_BEFORE=<another checkout>: "before" runs that
// checkout's lib/, "after" this one's, both on the first of BENCH_CHANNELS; BENCH_SETTINGS_AFTER adds
// settings (YAML) to "after" alone, e.g. to see what one part costs with BENCH_BEFORE=.).
//  idle: 50 panes, each in its own git work tree, and 10 clients that subscribe as the browser's page
//        does (`subscribe` to every pane, then `events:subscribe`): CPU after a settle, broken down into
//        the server's main thread (user/sys) and its GC pauses, its other threads (V8's GC and compile
//        workers, libuv's pool), its child processes (tmux control clients, git), and the tmux server;
//        tmux processes spawned;
//  busy: 10 and 40 panes printing 10 lines/s, with 10, 100 and 1,000 socket.io clients: CPU, spawns/s,
//        p50/p99 from a pane write to each client's receipt (per update), updates delivered/s, RSS, KB
//        per client; and, from a quiet pane that gets a numbered marker every 200 ms, the time until
//        EVERY client has the marker (p50/p99/p99.9/max) and the markers that never reached them all.
// Each table marks the targets (idle CPU <= 0.3 %; busy with 10 panes and 10 clients: CPU <= 8 %, RSS <= 120 MB)
// met or missed. The server runs from TypeScript through tsx, whose loader holds some 30 MB more than
// the built server (dist/) does: its RSS figure overstates the installed package's.
// The server runs in its own process (bench/server.ts, no Next.js); clients live in 2 to 4 worker
// processes (bench/load-clients.ts). The workers share the machine's cores with the server: their
// receipt times include their own waits for a core. Shorten with BENCH_IDLE_SECONDS, BENCH_BUSY_SECONDS,
// BENCH_CLIENTS (e.g. "10,100"), BENCH_PANES (e.g. "10"), BENCH_CHANNELS (e.g. "control"); add
// settings for the server under test with BENCH_SETTINGS (YAML); BENCH_SETTLE_SECONDS (30) is the wait
// before the idle figure; BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each measured window there
// (<dir>/<server>/0.cpuprofile is the idle one, then one per busy run).
// BENCH_BUILT=1 runs each server as a user does instead: `panecast start` from that checkout's
// bin/panecast.js and dist/ (build both first), through the bin's shebang and the node flags there,
// and loads the main and dashboard pages once before the idle window, so its RSS is that of a server
// that has served its pages (BENCH_PAGES=0: it never serves them);
// BENCH_NODE_ARGS_BEFORE / BENCH_NODE_ARGS_AFTER (space-separated, may be empty) run that server under
// `node <args> bin/panecast.js` instead, e.g. BENCH_BEFORE=. BENCH_NODE_ARGS_BEFORE= compares the
// bin's flags with none on one build.
import { execFileSync, fork, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, write, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import type { CommandChannelKind } from "../lib/tmux/command-line.ts";
import { TestTmux } from "../tests/helpers/tmux.ts";
import { percentile, startBenchServer, stopBenchServer, table } from "./fleet.ts";
import type { MarkerReceipts, WorkerCommand, WorkerReply } from "./load-clients.ts";
import { MarkerWriter } from "./load-markers.ts";
import { childTicks, HZ, ownTicks, rssMb, threadTicks, treeTicks, type ThreadTicks } from "./proc.ts";

const num = (v: string | undefined, d: number) => (v && Number.isFinite(Number(v)) ? Number(v) : d);
const list = (v: string | undefined, d: string) => (v ?? d).split(",").map((s) => s.trim()).filter(Boolean);
const IDLE_SECONDS = num(process.env.BENCH_IDLE_SECONDS, 20);
const BUSY_SECONDS = num(process.env.BENCH_BUSY_SECONDS, 10);
const SETTLE_SECONDS = num(process.env.BENCH_SETTLE_SECONDS, 30);
const CLIENTS = list(process.env.BENCH_CLIENTS, "10,100,1000").map(Number);
const BUSY_PANES = list(process.env.BENCH_PANES, "10,40").map(Number);
const CHANNELS = list(process.env.BENCH_CHANNELS, "control,exec") as CommandChannelKind[];
const BEFORE = process.env.BENCH_BEFORE ? path.resolve(process.env.BENCH_BEFORE) : null;
const CPU_PROF = process.env.BENCH_CPU_PROF ? path.resolve(process.env.BENCH_CPU_PROF) : null;
/** The servers compared: a name, the checkout whose lib/ runs, and the tmux command channel. */
interface Variant {
  name: string;
  root: string | undefined;
  channel: CommandChannelKind;
  /** More settings for this server alone (YAML). */
  settings?: string;
}
const VARIANTS: Variant[] = BEFORE
  ? [
      { name: "before", root: BEFORE, channel: CHANNELS[0]! },
      { name: "after", root: undefined, channel: CHANNELS[0]!, settings: process.env.BENCH_SETTINGS_AFTER },
    ]
  : CHANNELS.map((c) => ({ name: c, root: undefined, channel: c }));
const BUILT = process.env.BENCH_BUILT === "1";
/** With BENCH_BUILT: load the main page and the dashboard page once before the idle window (BENCH_PAGES=0: never). */
const PAGES = process.env.BENCH_PAGES !== "0";
/** Node flags for a built server (null: the bin's shebang decides). */
const nodeArgs = (name: string): string[] | null => {
  const v = process.env[`BENCH_NODE_ARGS_${name.toUpperCase()}`];
  return v === undefined ? null : v.split(" ").filter(Boolean);
};
const PANES = 50;
const IDLE_CLIENTS = 10;
/** The targets the figures are held against (printed beside them): idle CPU; busy (10 panes, 10 clients) CPU and RSS. */
const TARGETS = { idleCpu: 0.3, busyCpu: 8, busyRssMb: 120, busyKey: "10/10" } as const;
const LINES_PER_SECOND = 10;
/** Client workers: 2 to 4, about 25 clients each for small runs. */
const workersFor = (clients: number) => Math.max(2, Math.min(4, Math.ceil(clients / 25)));
/** After the writers stop, how long markers still on their way may take before they count as missing. */
const MARKER_GRACE_MS = 3000;

const dir = mkdtempSync(path.join(tmpdir(), "panecast-load-"));
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---- the fleet: 50 panes (5 sessions of 10 windows), each showing agent-like output, then streaming
// whatever the bench writes into its fifo.
const agentLine = (i: number, tail = "") => `\x1b[32m●\x1b[0m Update(lib/module${i}.ts) \x1b[90m⎿ Updated with ${i % 13} additions and ${i % 7} removals\x1b[0m ${tail}`;
const tmux = new TestTmux();
const fifos: number[] = [];
for (let i = 0; i < PANES; i++) {
  const fifo = path.join(dir, `pane${i}.fifo`);
  execFileSync("mkfifo", [fifo]);
  // Each pane sits in a git work tree of its own, with a commit and an uncommitted change.
  const repo = path.join(dir, `repo${i}`);
  mkdirSync(repo);
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=bench", "-c", "user.email=bench@localhost", ...args], { cwd: repo, stdio: "ignore" });
  git("init", "-q");
  writeFileSync(path.join(repo, "a.txt"), "one\n");
  git("add", "a.txt");
  git("commit", "-q", "-m", "one");
  writeFileSync(path.join(repo, "a.txt"), "two\n");
  const script = `cd ${repo}; for i in $(seq 1 25); do printf "\\033[3%dm%3d\\033[0m coloured line of agent output with some words\\n" $((i%8)) $i; done; exec cat ${fifo}`;
  const session = `load${Math.floor(i / 10)}`;
  if (i % 10 === 0) await tmux.newSession(session, { command: `bash -c '${script}'`, width: 120, height: 30 });
  else await tmux.tmux("new-window", "-d", "-t", `=${session}`, "bash", "-c", script);
  // Read-write: opening never blocks, and the reader never sees end-of-file.
  fifos.push(openSync(fifo, "r+"));
}
// The quiet pane: nothing but a numbered marker line about every 200 ms while the panes are busy.
const quietFifo = path.join(dir, "quiet.fifo");
execFileSync("mkfifo", [quietFifo]);
await tmux.newSession("quiet", { command: `bash -c 'exec cat ${quietFifo}'`, width: 120, height: 30 });
const markers = new MarkerWriter(openSync(quietFifo, "r+"));
fifos.push(markers.fd);
const tmuxPid = Number((await tmux.tmux("display-message", "-p", "#{pid}")).trim());

/** Lines written since the writers started. */
let written = 0;

/** Prints one line per pane every 1/LINES_PER_SECOND s, spread evenly; each line carries its write time. */
function startWriters(panes: number): () => void {
  let k = 0;
  const timer = setInterval(() => {
    const fd = fifos[k % panes]!;
    write(fd, `${agentLine(written++, `MK${now().toFixed(3)};`)}\n`, () => {});
    k++;
  }, 1000 / (LINES_PER_SECOND * panes));
  return () => clearInterval(timer);
}

// ---- client workers
interface Worker {
  child: ChildProcess;
  ask(cmd: WorkerCommand): Promise<WorkerReply>;
}

function startWorker(): Worker {
  const child = fork("bench/load-clients.ts", [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const waiting: Array<(r: WorkerReply) => void> = [];
  child.on("message", (r: WorkerReply) => waiting.shift()?.(r));
  return {
    child,
    ask(cmd) {
      return new Promise((resolve) => {
        waiting.push(resolve);
        child.send(cmd);
      });
    },
  };
}

async function connectClients(url: string, n: number): Promise<Worker[]> {
  const count = workersFor(n);
  const workers = Array.from({ length: count }, startWorker);
  // Spread evenly: worker i holds every count-th client.
  const replies = await Promise.all(workers.map((w, i) => w.ask({ cmd: "connect", url, clients: Math.floor(n / count) + (i < n % count ? 1 : 0) })));
  for (const r of replies) if (r.type === "error") throw new Error(r.message);
  return workers;
}

async function closeClients(workers: Worker[]): Promise<void> {
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          w.child.once("exit", () => resolve());
          w.child.send({ cmd: "close" } satisfies WorkerCommand);
        }),
    ),
  );
}

// ---- measurements
async function spawnedSoFar(url: string): Promise<number> {
  const h = (await (await fetch(`${url}/api/healthz`)).json()) as { tmux: { processesSpawned: number } };
  return h.tmux.processesSpawned;
}

/** Seconds the server's main thread spent in GC pauses so far (prom-client's histogram, from /metrics). */
async function gcSecondsSoFar(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const m of text.matchAll(/^panecast_nodejs_gc_duration_seconds_sum\{[^}]*\} ([\d.e+-]+)/gm)) sum += Number(m[1]);
  return sum;
}

/** Where the CPU went, in % of one core. */
interface Breakdown {
  mainUser: number;
  mainSys: number;
  /** Main-thread GC pauses (part of mainUser + mainSys). */
  gc: number;
  otherThreads: number;
  /** tmux control clients, git, and any other process the server started. */
  children: number;
  tmuxServer: number;
}

/** CPU (% of one core), its breakdown, and tmux processes spawned while `during` runs. */
async function measure(url: string, serverPid: number, during: () => Promise<void>): Promise<{ cpu: number; spawned: number; secs: number; parts: Breakdown }> {
  const s0 = await spawnedSoFar(url);
  const g0 = await gcSecondsSoFar(url);
  const th0 = threadTicks(serverPid);
  const ch0 = childTicks(serverPid);
  const tm0 = ownTicks(tmuxPid);
  const c0 = treeTicks(serverPid) + tm0;
  const t0 = performance.now();
  if (CPU_PROF) process.kill(serverPid, "SIGUSR2");
  await during();
  if (CPU_PROF) process.kill(serverPid, "SIGUSR2");
  const secs = (performance.now() - t0) / 1000;
  const c1 = treeTicks(serverPid) + ownTicks(tmuxPid);
  const th1 = threadTicks(serverPid);
  const ch1 = childTicks(serverPid);
  const tm1 = ownTicks(tmuxPid);
  const s1 = await spawnedSoFar(url);
  // The health check's own tmux read (a process in exec mode, none over control) is not the load's.
  const own = (await spawnedSoFar(url)) - s1;
  const g1 = await gcSecondsSoFar(url);
  const pct = (ticks: number) => (ticks / HZ / secs) * 100;
  const d = (k: keyof ThreadTicks) => pct(th1[k] - th0[k]);
  const parts: Breakdown = {
    mainUser: d("mainUser"),
    mainSys: d("mainSys"),
    gc: ((g1 - g0) / secs) * 100,
    otherThreads: d("other"),
    children: pct(ch1 - ch0),
    tmuxServer: pct(tm1 - tm0),
  };
  return { cpu: pct(c1 - c0), spawned: s1 - s0 - own, secs, parts };
}

function percentileOf(hist: Map<number, number>, p: number): number {
  const total = [...hist.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return NaN;
  let seen = 0;
  for (const [ms, count] of [...hist].sort((a, b) => a[0] - b[0])) {
    seen += count;
    if (seen >= (p / 100) * total) return ms;
  }
  return NaN;
}

/** The server's memory by kind (MB), from prom-client's figures in /metrics: V8's heap, and external memory (Buffers, ArrayBuffers). */
async function memoryOf(url: string): Promise<{ heapTotal: number; heapUsed: number; external: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const mb = (name: string) => Number(new RegExp(`^panecast_nodejs_${name} ([\\d.e+-]+)`, "m").exec(text)?.[1] ?? NaN) / 1024 / 1024;
  return { heapTotal: mb("heap_size_total_bytes"), heapUsed: mb("heap_size_used_bytes"), external: mb("external_memory_bytes") };
}

interface Busy {
  cpu: number;
  parts: Breakdown;
  /** The 1-minute load average at the end of the run. */
  load: number;
  spawnsPerSec: number;
  p50: number;
  p99: number;
  updatesPerSec: number;
  /** Lines seen by the clients, in % of lines written times clients (a client that falls behind gets the latest screen only). */
  receivedPct: number;
  rss: number;
  memory: { heapTotal: number; heapUsed: number; external: number };
  kbPerClient: number;
  /** Quiet-pane markers: ms from the write until the last client had it. */
  markerP50: number;
  markerP99: number;
  markerP999: number;
  markerMax: number;
  markersWritten: number;
  markersMissing: number;
  workers: number;
  /** The worst client worker's event-loop delay (max, p99): how late it could read at all. */
  loopDelayMax: number;
  loopDelayP99: number;
  /** Ticks at which the hub skipped a client as behind (its engine.io buffer over the bound). */
  skips: number;
}

/** The hub's count of clients skipped as behind, from /metrics. */
async function skipsSoFar(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^panecast_frames_skipped_total (\d+)/m.exec(text)?.[1] ?? NaN);
}

async function busy(url: string, serverPid: number, workers: Worker[], clientCount: number, panes: number, kbPerClient: number): Promise<Busy> {
  const skips0 = await skipsSoFar(url);
  const stop = startWriters(panes);
  await sleep(1500);
  const hist = new Map<number, number>();
  const receipts: MarkerReceipts[] = [];
  let updates = 0;
  let lines = 0;
  const m = await measure(url, serverPid, async () => {
    for (const w of workers) w.child.send({ cmd: "start" } satisfies WorkerCommand);
    markers.start();
    const w0 = written;
    await sleep(BUSY_SECONDS * 1000);
    stop();
    markers.stop();
    lines = written - w0;
  });
  const rss = rssMb(serverPid);
  const memory = await memoryOf(url);
  // Lines and markers still on their way: past this they count as missing.
  await sleep(MARKER_GRACE_MS);
  const stats: Array<Extract<WorkerReply, { type: "stats" }>> = [];
  for (const r of await Promise.all(workers.map((w) => w.ask({ cmd: "stop" })))) {
    if (r.type !== "stats") continue;
    stats.push(r);
    updates += r.updates;
    receipts.push(r.markers);
    for (const [ms, c] of r.hist) hist.set(ms, (hist.get(ms) ?? 0) + c);
  }
  const lag = markers.lags(receipts, clientCount);
  let loopDelayMax = 0;
  let loopDelayP99 = 0;
  for (const r of stats) {
    loopDelayMax = Math.max(loopDelayMax, r.loopDelayMaxMs);
    loopDelayP99 = Math.max(loopDelayP99, r.loopDelayP99Ms);
  }
  const received = [...hist.values()].reduce((a, b) => a + b, 0);
  return {
    cpu: m.cpu,
    parts: m.parts,
    load: loadavg()[0]!,
    spawnsPerSec: m.spawned / m.secs,
    p50: percentileOf(hist, 50),
    p99: percentileOf(hist, 99),
    updatesPerSec: updates / m.secs,
    receivedPct: (received / Math.max(1, lines * clientCount)) * 100,
    rss,
    memory,
    kbPerClient,
    markerP50: percentile(lag.lags, 50),
    markerP99: percentile(lag.lags, 99),
    markerP999: percentile(lag.lags, 99.9),
    markerMax: lag.lags.length ? Math.max(...lag.lags) : NaN,
    markersWritten: lag.written,
    markersMissing: lag.missing,
    workers: workers.length,
    loopDelayMax,
    loopDelayP99,
    skips: (await skipsSoFar(url)) - skips0,
  };
}

interface ChannelResult {
  idle: { cpu: number; spawnsPerMin: number; rss: number; parts: Breakdown; load: number };
  busy: Map<string, Busy>;
}

async function runVariant(v: Variant): Promise<ChannelResult> {
  const { channel } = v;
  const cfg = path.join(dir, `${v.name}.yaml`);
  writeFileSync(
    cfg,
    [
      `tmux:\n  command_channel: ${channel}`,
      "hub:\n  max_clients: 5000",
      "metrics:\n  enabled: true",
      "limits:\n  max_connections_per_ip: 5000\n  messages_burst: 100000\n  messages_per_second: 100000",
      // More settings for the server under test (YAML), e.g. "resources:\n  enabled: false".
      process.env.BENCH_SETTINGS ?? "",
      v.settings ?? "",
      "",
    ].join("\n"),
  );
  const profiles = CPU_PROF ? path.join(CPU_PROF, v.name) : null;
  if (profiles) mkdirSync(profiles, { recursive: true });
  const { child, url } = await startBenchServer(cfg, tmux.socketName, dir, { root: v.root, profileDir: profiles ?? undefined, ...(BUILT ? { built: { nodeArgs: nodeArgs(v.name) } } : {}) });
  const pid = child.pid!;
  try {
    await sleep(3000);
    const baseRss = rssMb(pid);
    // The pages a user has open: the built server renders them (Next.js loads their modules then).
    if (BUILT && PAGES) for (const page of ["/", "/dashboard"]) await (await fetch(`${url}${page}`)).text();
    const watchers = await connectClients(url, IDLE_CLIENTS);
    // Steady state: V8 keeps collecting in its background threads for some seconds after start-up
    // (about 0.5 % of a core that decays), which is not what an idle fleet costs.
    await sleep(SETTLE_SECONDS * 1000);
    const idle = await measure(url, pid, () => sleep(IDLE_SECONDS * 1000));
    const result: ChannelResult = { idle: { cpu: idle.cpu, spawnsPerMin: (idle.spawned / idle.secs) * 60, rss: rssMb(pid), parts: idle.parts, load: loadavg()[0]! }, busy: new Map() };
    await closeClients(watchers);
    for (const clients of CLIENTS) {
      await sleep(1000);
      const before = rssMb(pid);
      const workers = await connectClients(url, clients);
      await sleep(1000);
      const kb = ((rssMb(pid) - Math.min(before, baseRss)) * 1024) / clients;
      for (const panes of BUSY_PANES) {
        result.busy.set(`${panes}/${clients}`, await busy(url, pid, workers, clients, panes, kb));
        process.stderr.write(`  ${v.name}: ${panes} panes, ${clients} clients done\n`);
      }
      await closeClients(workers);
    }
    return result;
  } finally {
    await stopBenchServer(child);
  }
}

const results = new Map<string, ChannelResult>();
try {
  for (const v of VARIANTS) {
    process.stderr.write(`measuring ${v.name} (${v.root ?? "this checkout"}, tmux.command_channel: ${v.channel}${BUILT ? `, built: ${nodeArgs(v.name)?.join(" ") ?? "the bin's shebang"}` : ""})\n`);
    results.set(v.name, await runVariant(v));
  }
} finally {
  for (const fd of fifos) closeSync(fd);
  await tmux.kill();
}

// ---- report: each figure for every channel, and exec/control when both ran
const ratio = (a: number, b: number) => (!Number.isFinite(a) || !Number.isFinite(b) ? "-" : b === 0 ? (a === 0 ? "1.00" : "inf") : (a / b).toFixed(2));
const NAMES = VARIANTS.map((v) => v.name);
const head = ["figure", ...NAMES, ...(NAMES.length === 2 ? [`${NAMES[1]}/${NAMES[0]}`] : [])];
function row(name: string, pick: (r: ChannelResult) => number): Array<string | number> {
  const vals = NAMES.map((c) => pick(results.get(c)!));
  return [name, ...vals, ...(vals.length === 2 ? [ratio(vals[1]!, vals[0]!)] : [])];
}

function breakdownRows(parts: (r: ChannelResult) => Breakdown): Array<Array<string | number>> {
  return [
    row("  server main thread, user %", (r) => parts(r).mainUser),
    row("  server main thread, sys %", (r) => parts(r).mainSys),
    row("    of which GC pauses (wall time: longer when waiting for a core) %", (r) => parts(r).gc),
    row("  server other threads (V8 GC/compile workers, libuv pool) %", (r) => parts(r).otherThreads),
    row("  server child processes (tmux -C, git) %", (r) => parts(r).children),
    row("  tmux server %", (r) => parts(r).tmuxServer),
  ];
}

console.log(`\nidle: ${PANES} panes in git work trees, ${IDLE_CLIENTS} clients, ${IDLE_SECONDS} s (CPU in % of one core: server process tree incl. reaped children, plus the tmux server)\n`);
/** "met" or "missed" for each server, against a target (a maximum). */
function targetRow(name: string, max: number, pick: (r: ChannelResult) => number | undefined): Array<string | number> {
  return [`target: ${name} <= ${max}`, ...NAMES.map((c) => {
    const v = pick(results.get(c)!);
    return v === undefined || !Number.isFinite(v) ? "-" : v <= max ? "met" : "missed";
  }), ...(NAMES.length === 2 ? [""] : [])];
}

console.log(
  table([
    head,
    row("CPU %", (r) => r.idle.cpu),
    targetRow("CPU %", TARGETS.idleCpu, (r) => r.idle.cpu),
    ...breakdownRows((r) => r.idle.parts),
    row("load average (1 min) at the end", (r) => r.idle.load),
    row("tmux processes spawned / min", (r) => r.idle.spawnsPerMin),
    row("server RSS MB", (r) => r.idle.rss),
  ]),
);
for (const clients of CLIENTS) {
  for (const panes of BUSY_PANES) {
    const k = `${panes}/${clients}`;
    const b = (r: ChannelResult) => r.busy.get(k)!;
    console.log(`\nbusy: ${panes} panes at ${LINES_PER_SECOND} lines/s, ${clients} clients, ${BUSY_SECONDS} s (the client workers share the ${cpus().length} cores with the server)\n`);
    console.log(
      table([
        head,
        row("CPU %", (r) => b(r).cpu),
        ...(k === TARGETS.busyKey ? [targetRow("CPU %", TARGETS.busyCpu, (r) => b(r).cpu)] : []),
        ...breakdownRows((r) => b(r).parts),
        row("load average (1 min) at the end", (r) => b(r).load),
        row("tmux processes spawned / s", (r) => b(r).spawnsPerSec),
        row("write -> a client, per update, p50 ms", (r) => b(r).p50),
        row("write -> a client, per update, p99 ms", (r) => b(r).p99),
        row("quiet marker -> LAST client p50 ms", (r) => b(r).markerP50),
        row("quiet marker -> LAST client p99 ms", (r) => b(r).markerP99),
        row("quiet marker -> LAST client p99.9 ms", (r) => b(r).markerP999),
        row("quiet marker -> LAST client max ms", (r) => b(r).markerMax),
        row("quiet markers written", (r) => b(r).markersWritten),
        row(`quiet markers missing at a client ${MARKER_GRACE_MS / 1000} s after the run`, (r) => b(r).markersMissing),
        row("client worker processes", (r) => b(r).workers),
        row("worst client worker's event-loop delay p99 ms", (r) => b(r).loopDelayP99),
        row("worst client worker's event-loop delay max ms", (r) => b(r).loopDelayMax),
        row("clients skipped as behind (hub ticks)", (r) => b(r).skips),
        row("updates delivered / s", (r) => b(r).updatesPerSec),
        row("lines received, % of written x clients", (r) => b(r).receivedPct),
        row("server RSS MB", (r) => b(r).rss),
        ...(k === TARGETS.busyKey ? [targetRow("server RSS MB", TARGETS.busyRssMb, (r) => b(r).rss)] : []),
        row("  V8 heap, total MB", (r) => b(r).memory.heapTotal),
        row("  V8 heap, used MB", (r) => b(r).memory.heapUsed),
        row("  external (Buffers, ArrayBuffers) MB", (r) => b(r).memory.external),
        row("  the rest (code, native allocations, stacks) MB", (r) => b(r).rss - b(r).memory.heapTotal - b(r).memory.external),
        row("server KB per client", (r) => b(r).kbPerClient),
      ]),
    );
  }
}
