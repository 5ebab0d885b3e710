// bench:recorder — the flight recorder's cost and speed, side by side with recording off, in one run.
//  1. Live: two panecast processes, each watching its own tmux server with 10 busy panes (10 lines/s)
//     and 5 idle ones; one records, one does not. CPU of each over the same window; disk per pane-hour.
//  2. A synthetic 24 h x 50 panes recording (written through the real Recorder with synthetic times):
//     start-up cost (opening the catalog and the index), indexing from disk the first time and after a
//     restart, rebuild p50/p99 at random moments, search p50/p95 (with context, as the API answers).
import { EventEmitter } from "node:events";
import { mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "../lib/config.ts";
import { FrameStore } from "../lib/panes/frame-store.ts";
import { FlightRecorder, type RecordedSource } from "../lib/recorder/flight-recorder.ts";
import { Recorder } from "../lib/recorder/recorder.ts";
import { TestTmux } from "../tests/helpers/tmux.ts";
import { percentile, startBenchServer, stopBenchServer, table } from "./fleet.ts";
import { HZ, treeTicks } from "./proc.ts";

const LIVE_SECONDS = Number(process.env.LIVE_SECONDS ?? 30);
const PANES = Number(process.env.PANES ?? 50);
const HOURS = Number(process.env.HOURS ?? 24);

function dirBytes(dir: string): number {
  let n = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, name.name);
    n += name.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return n;
}

async function live(): Promise<void> {
  const busy = `while :; do for i in 1 2 3 4 5 6 7 8 9 10; do printf "\\033[3%dm%s\\033[0m step %d of the build: compiling module_%d.ts ok\\n" $((RANDOM%8)) "$(date +%T.%N)" $RANDOM $RANDOM; done; sleep 1; done`;
  const runs: Array<{ name: string; recording: boolean; tmux: TestTmux; dir: string; busy: string[]; idle: string[] }> = [];
  for (const recording of [false, true]) {
    const tmux = new TestTmux();
    const dir = mkdtempSync(path.join(tmpdir(), "panecast-bench-rec-"));
    const busyPanes: string[] = [];
    const idlePanes: string[] = [];
    busyPanes.push(await tmux.newSession("busy", { command: `bash -c '${busy}'`, width: 120, height: 40 }));
    for (let i = 1; i < 10; i++) busyPanes.push((await tmux.tmux("new-window", "-d", "-t", "=busy", "-P", "-F", "#{pane_id}", "bash", "-c", busy)).trim());
    idlePanes.push(await tmux.newSession("idle", { width: 120, height: 40 }));
    for (let i = 1; i < 5; i++) idlePanes.push((await tmux.tmux("new-window", "-d", "-t", "=idle", "-P", "-F", "#{pane_id}")).trim());
    writeFileSync(path.join(dir, "panecast.yaml"), `recorder:\n  enabled: ${recording}\nresources:\n  enabled: false\ngit:\n  enabled: false\n`);
    runs.push({ name: recording ? "recording on" : "recording off", recording, tmux, dir, busy: busyPanes, idle: idlePanes });
  }
  const servers = await Promise.all(runs.map((r) => startBenchServer(path.join(r.dir, "panecast.yaml"), r.tmux.socketName, r.dir)));
  await new Promise((r) => setTimeout(r, 3000));
  const t0 = servers.map((s) => treeTicks(s.child.pid!));
  const started = Date.now();
  await new Promise((r) => setTimeout(r, LIVE_SECONDS * 1000));
  const secs = (Date.now() - started) / 1000;
  const cpu = servers.map((s, i) => ((treeTicks(s.child.pid!) - t0[i]!) / HZ / secs) * 100);
  await Promise.all(servers.map((s) => stopBenchServer(s.child)));
  const rec = runs[1]!;
  const recDir = path.join(rec.dir, "recordings");
  const paneBytes = (ids: string[]) => ids.reduce((n, id) => n + (statExists(path.join(recDir, id.slice(1))) ? dirBytes(path.join(recDir, id.slice(1))) : 0), 0) / ids.length;
  const elapsedH = (secs + 3) / 3600;
  console.log(`\nlive, ${LIVE_SECONDS} s, 10 busy panes (10 lines/s) + 5 idle, each server with its own tmux:`);
  console.log(table([["server", "CPU % of a core"], ["recording off", cpu[0]!], ["recording on", cpu[1]!], ["added by recording", cpu[1]! - cpu[0]!]]));
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  console.log(`disk: ${(paneBytes(rec.busy) / 1e6 / elapsedH).toFixed(2)} MB per busy pane-hour, ${(paneBytes(rec.idle) / 1e6 / elapsedH).toFixed(3)} MB per idle pane-hour (idle: its first screen, then nothing until it changes)`);
  for (const r of runs) await r.tmux.kill();
}

function statExists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

const WORDS = ["compile", "test", "ECONNREFUSED", "timeout", "lint", "deploy", "merge", "fetch", "retry", "panic", "warning", "module", "build", "server", "client", "parse", "render", "cache", "index", "query"];

/** A deterministic pseudo-random generator (the same recording every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

async function synthetic(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "panecast-bench-rec24-"));
  const dir = path.join(dataDir, "recordings");
  const end = Date.now();
  const start = end - HOURS * 3_600_000;
  const rand = rng(42);
  // 1 pane in 10 busy (an update a second, a line or two each); the rest print every 30 s on average.
  const writer = new Recorder({ dir, flushMs: 1000, keyframeMs: 600_000, keyframeBytes: 256 * 1024, limits: { maxAgeMs: (HOURS + 1) * 3_600_000, maxPaneBytes: 64 * 1024 ** 2, maxTotalBytes: 2 * 1024 ** 3 }, maxQueued: 1 << 30, sessions: [] });
  const store = new FrameStore({ colors: false, maxPanes: 1000 });
  const screens = new Map<string, string[]>();
  let updates = 0;
  const t0 = Date.now();
  for (let t = start; t < end; t += 1000) {
    for (let p = 0; p < PANES; p++) {
      const busy = p % 10 === 0;
      if (!busy && rand() > 1 / 30) continue;
      const id = `%${p}`;
      // A new array each time: the frame store keeps the one it is given.
      const screen = [...(screens.get(id) ?? Array.from({ length: 40 }, () => ""))];
      const n = 1 + Math.floor(rand() * 2);
      for (let i = 0; i < n; i++) screen.push(`${new Date(t).toISOString()} ${WORDS[Math.floor(rand() * WORDS.length)]} ${WORDS[Math.floor(rand() * WORDS.length)]} item_${Math.floor(rand() * 100000)} done`);
      const next = screen.slice(-40);
      screens.set(id, next);
      const u = store.ingest(id, next, { width: 120, height: 40 });
      if (u) {
        writer.record(u, store.get(id)!.lines, { session: `s${p % 5}`, agent: "claude" }, t);
        updates++;
      }
    }
    if ((t - start) % 600_000 === 0) await writer.flush();
  }
  await writer.stop();
  const writeSecs = (Date.now() - t0) / 1000;
  const bytes = dirBytes(dir);
  console.log(`\nsynthetic: ${HOURS} h x ${PANES} panes, ${updates} screen changes (${writer.stats.records} recorded), ${(bytes / 1e6).toFixed(1)} MB on disk (written in ${writeSecs.toFixed(1)} s)`);

  // Start-up: what the server adds before listening (catalog, repair, opening the index), then the
  // index filled from disk in the background: the first time (no index yet), then after a restart.
  const config = loadConfig({ argv: ["--data-dir", dataDir], env: {} });
  const source = Object.assign(new EventEmitter(), { frame: () => undefined, pane: () => undefined }) as unknown as RecordedSource;
  const open = async (): Promise<{ fr: FlightRecorder; startupMs: number; indexMs: number }> => {
    const s0 = performance.now();
    const fr = new FlightRecorder(config, source, () => "");
    const startupMs = performance.now() - s0;
    const i0 = performance.now();
    fr.start();
    await fr.indexed;
    return { fr, startupMs, indexMs: performance.now() - i0 };
  };
  const c0 = performance.now();
  new Recorder({ dir, flushMs: 1000, keyframeMs: 600_000, keyframeBytes: 256 * 1024, limits: { maxAgeMs: 1e12, maxPaneBytes: 1e12, maxTotalBytes: 1e12 }, maxQueued: 1, sessions: [] });
  const catalogMs = performance.now() - c0;
  const first = await open();
  const segmentsRead = first.fr.feed.stats.segmentsRead;
  await first.fr.stop();
  const { fr, startupMs, indexMs } = await open();
  global.gc?.();
  const heapMb = process.memoryUsage().heapUsed / 1e6;

  const pick = rng(7);
  const rebuild: number[] = [];
  const rebuildCpu: number[] = [];
  const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
  for (let i = 0; i < 1000; i++) {
    const pane = `%${Math.floor(pick() * PANES)}`;
    const at = start + pick() * (end - start);
    const c = process.cpuUsage();
    const a = performance.now();
    await fr.frameAt(pane, { at });
    rebuild.push(performance.now() - a);
    rebuildCpu.push(cpuMs(process.cpuUsage(c)));
  }
  const search: number[] = [];
  const searchCpu: number[] = [];
  const bare: number[] = [];
  let hits = 0;
  for (let i = 0; i < 100; i++) {
    const q = `${WORDS[Math.floor(pick() * WORDS.length)]} item_${Math.floor(pick() * 100)}`;
    const c = process.cpuUsage();
    const a = performance.now();
    hits += (await fr.search(q, { sessionVisible: (s) => s !== "s4" }, 200)).length;
    search.push(performance.now() - a);
    searchCpu.push(cpuMs(process.cpuUsage(c)));
    const b = performance.now();
    fr.index.search(q, { sessionVisible: (s) => s !== "s4" }, 200);
    bare.push(performance.now() - b);
  }
  // The worst case of the earlier index: one common word, every result visible.
  const common: number[] = [];
  for (const w of WORDS) {
    const a = performance.now();
    await fr.search(w, { sessionVisible: () => true }, 200);
    common.push(performance.now() - a);
  }
  const lines = fr.index.size;
  const indexMb = statSync(path.join(dir, "index.sqlite")).size / 1e6;
  await fr.stop();
  console.log(table([
    ["figure", "measured", "target"],
    ["start-up added (open catalog and index), ms", startupMs, "<= 1000"],
    ["  of which the catalog alone, ms", catalogMs, "-"],
    [`index from disk, first time (${segmentsRead} segments), s`, first.indexMs / 1000, "-"],
    [`index from disk after a restart (${fr.feed.stats.segmentsRead} segments), s`, indexMs / 1000, "-"],
    ["lines in the index", lines, "-"],
    ["index on disk, MB", indexMb, "-"],
    ["JS heap after opening, MB", heapMb, "-"],
    ["rebuild p50, ms", percentile(rebuild, 50), "-"],
    ["rebuild p99, ms", percentile(rebuild, 99), "<= 50"],
    ["rebuild p99, CPU ms (this process)", percentile(rebuildCpu, 99), "-"],
    ["search p50, ms (with context)", percentile(search, 50), "-"],
    ["search p95, ms (with context)", percentile(search, 95), "<= 300"],
    ["search p95, CPU ms (with context)", percentile(searchCpu, 95), "-"],
    ["search p95, ms (index only)", percentile(bare, 95), "-"],
    ["one common word, max of 20, ms", Math.max(...common), "-"],
  ]));
  console.log(`(${hits} hits over 100 queries; RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB; load average ${loadavg().map((l) => l.toFixed(1)).join(" ")})`);
}

if (process.env.SKIP_LIVE !== "1") await live();
await synthetic();
