// npm run bench:agents — the conformance harness with the real agent CLIs (installed from npm into
// the cache), measured:
//  1. per CLI, scenario phase and mode (hooks / screen only): was the state clients got right;
//  2. the latency from the true moment (the fake model server's log, the key pressed) to the status
//     event, p50/p95, by where the state came from (hook or screen);
//  3. state changes per minute on an idle agent, a quiet shell and a `top` pane (BENCH_IDLE_S, 60 s).
// BENCH_CLIS=claude,codex picks CLIs; PANECAST_AGENT_RECORD=DIR keeps the screens as fixtures.
import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import path from "node:path";
import type { AgentStatus } from "../lib/protocol.ts";
import { CLIS, CLI_NAMES, type CliName } from "../tests/helpers/agents/clis.ts";
import { ensureCli } from "../tests/helpers/agents/install.ts";
import { AgentRun, MODES, type PhaseResult } from "../tests/helpers/agents/run.ts";
import { runScenarios } from "../tests/helpers/agents/scenarios.ts";
import { client, startPanecast } from "../tests/helpers/server.ts";
import { TestTmux } from "../tests/helpers/tmux.ts";
import { median, percentile, table } from "./fleet.ts";

const names = (process.env.BENCH_CLIS?.split(",") ?? [...CLI_NAMES]).filter((n): n is CliName => (CLI_NAMES as readonly string[]).includes(n));
const IDLE_S = Number(process.env.BENCH_IDLE_S ?? 60);
const record = process.env.PANECAST_AGENT_RECORD;

execFileSync(process.execPath, ["scripts/build.mjs", "--only", "server", "--if-stale"], { stdio: "inherit" });
for (const n of names) await ensureCli(CLIS[n].pkg);

const load = () => loadavg().map((x) => x.toFixed(1)).join(" ");
console.log(`load average at the start: ${load()}`);
const all: { cli: CliName; mode: string; results: PhaseResult[] }[] = [];
for (const n of names) {
  for (const mode of CLIS[n].modes ?? MODES) {
    const run = new AgentRun(CLIS[n], mode, record ? path.resolve(record, `${n}-${CLIS[n].pkg.version}`) : null);
    try {
      await run.start();
      await runScenarios(run);
    } catch (err) {
      console.error(`${n} ${mode}: stopped early: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
    } finally {
      all.push({ cli: n, mode, results: run.results });
      await run.stop();
    }
  }
}

const phases = [...new Set(all.flatMap((a) => a.results.map((r) => r.phase)))];
const cell = (cli: CliName, mode: string, phase: string) => {
  const r = all.find((a) => a.cli === cli && a.mode === mode)?.results.find((x) => x.phase === phase);
  if (!r) return "-";
  const ms = r.latencyMs === null ? "" : ` ${r.latencyMs}ms`;
  return r.right ? `ok${ms}` : `${r.got ?? "none"}!`;
};
console.log("\nState right per phase (ok + latency from the true moment; otherwise what clients held, marked !)\n");
console.log(table([["phase", ...names.flatMap((n) => (CLIS[n].modes ?? MODES).map((m) => `${n} ${m}`))], ...phases.map((p) => [p, ...names.flatMap((n) => (CLIS[n].modes ?? MODES).map((m) => cell(n, m, p)))])]));
console.log("");
console.log(table([["right", ...names.flatMap((n) => (CLIS[n].modes ?? MODES).map((m) => `${n} ${m}`))], ["phases", ...names.flatMap((n) => (CLIS[n].modes ?? MODES).map((m) => {
  const r = all.find((a) => a.cli === n && a.mode === m)?.results ?? [];
  return `${r.filter((x) => x.right).length}/${r.length}`;
}))]]));

console.log(`\nload average after the phases: ${load()}`);
const lat = (src: AgentStatus["source"]) => all.flatMap((a) => a.results.filter((r) => r.right && r.source === src && r.latencyMs !== null).map((r) => r.latencyMs!));
const latRow = (name: string, xs: number[], target: string) => [name, xs.length, xs.length ? median(xs) : "-", xs.length ? percentile(xs, 95) : "-", target];
console.log("\nLatency, true moment → agent:status (ms)\n");
console.log(table([["source", "n", "p50", "p95", "target p95"], latRow("hook", lat("hook"), "≤ 300"), latRow("screen", lat("screen"), "≤ 1000")]));

// Flips: an idle agent of each CLI at its prompt, a quiet shell and `top`, side by side, one window.
const tmux = new TestTmux();
// The sessions first: a panecast started on a socket with no server races tmux's own start-up (a
// server with no session exits, and a new-session that reached it fails).
const panes: [string, string][] = [["shell (quiet)", await tmux.newSession("shell")], ["top", await tmux.newSession("top", { command: "top -d 1" })]];
const { app, url } = await startPanecast(tmux);
const watcher = await client(url);
const changes = new Map<string, number>();
watcher.pushes.on("agent:status", (s: AgentStatus) => changes.set(s.pane, (changes.get(s.pane) ?? 0) + 1));
await watcher.sessions;
const idleRuns: AgentRun[] = [];
try {
  for (const n of names) {
    const r = new AgentRun(CLIS[n], "screen", null);
    await r.start();
    await r.launch();
    const deadline = Date.now() + 60_000;
    while (!CLIS[n].ready.test(await r.screen(false)) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 200));
    // Its own panecast watches it; the changes counted are those its clients get.
    await new Promise((res) => setTimeout(res, 3000));
    idleRuns.push(r);
  }
  const before = new Map(idleRuns.map((r) => [r, r.seen.length]));
  changes.clear();
  await new Promise((res) => setTimeout(res, IDLE_S * 1000));
  const perMin = (x: number) => ((x * 60) / IDLE_S).toFixed(1);
  console.log(`\nState changes per minute over ${IDLE_S} s (target 0)\n`);
  console.log(
    table([
      ["pane", "changes/min", "states"],
      ...idleRuns.map((r) => [`${r.cli.name} idle at its prompt`, perMin(r.seen.length - before.get(r)!), r.seen.slice(before.get(r)!).map((s) => s.state).join(" ") || "-"]),
      ...panes.map(([name, p]) => [name, perMin(changes.get(p) ?? 0), "-"]),
    ]),
  );
  console.log(`\nload average at the end: ${load()}`);
} finally {
  for (const r of idleRuns) await r.stop();
  watcher.close();
  await app.close();
  await tmux.kill();
}
