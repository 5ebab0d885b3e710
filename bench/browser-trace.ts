// `tsx bench/browser-trace.ts [panes] [density] [width]x[height]`: where one Chromium page showing a busy
// fleet spends its main thread — a trace of BENCH_SECONDS (5 by default), main-thread self time by
// trace event (script, style, layout, paint, commit, GC …) and the scripts' hottest functions (a V8
// CPU profile), to find what bench:browser's figure is made of. The built server (`panecast start`).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import { ServerProcess } from "../tests/e2e/server-process.ts";
import { busyFleet } from "./busy-fleet.ts";

const [n = "50", density = "comfortable", size = "1920x900"] = process.argv.slice(2);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const [width, height] = size.split("x").map(Number) as [number, number];

interface TraceEvent { ph: string; name: string; ts: number; dur?: number; tid: number; pid: number; args?: { name?: string; data?: { url?: string; functionName?: string; type?: string } } }

const tmux = await busyFleet(Number(n));
const dir = mkdtempSync(path.join(tmpdir(), "panecast-trace-"));
writeFileSync(path.join(dir, "c.yaml"), "{}\n");
const server = new ServerProcess(["-L", tmux.socketName, "--config", path.join(dir, "c.yaml")], {}, process.env.BENCH_BIN ?? undefined);
const browser = await chromium.launch({ executablePath: process.env.PANECAST_CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--no-first-run"] });
try {
  const url = await server.start();
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  if (process.env.TRACE_INIT) await page.addInitScript(process.env.TRACE_INIT);
  await page.addInitScript((d) => window.localStorage.setItem("panecast.view", JSON.stringify({ density: d, sort: "needs-you", pinned: [] })), density);
  await page.goto(url + "/", { timeout: 180_000 });
  await page.locator('[data-testid="connection-status"][data-state="live"]').waitFor({ timeout: 120_000 });
  await page.waitForTimeout(3000);
  const cdp = await context.newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await browser.startTracing(page, { categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8", "blink", "cc", "toplevel"] });
  await cdp.send("Profiler.start");
  await page.waitForTimeout(SECONDS * 1000);
  const { profile } = (await cdp.send("Profiler.stop")) as { profile: unknown };
  const buf = await browser.stopTracing();
  writeFileSync(path.join(dir, "page.cpuprofile"), JSON.stringify(profile));
  const events = (JSON.parse(buf.toString()) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = events.find((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain");
  const mine = events.filter((e) => e.ph === "X" && main && e.tid === main.tid && e.pid === main.pid).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const self = new Map<string, number>();
  const stack: Array<{ end: number; key: string }> = [];
  let top = 0;
  for (const e of mine) {
    while (stack.length && stack[stack.length - 1]!.end <= e.ts) stack.pop();
    const dur = e.dur ?? 0;
    if (!stack.length) top += dur;
    else self.set(stack[stack.length - 1]!.key, (self.get(stack[stack.length - 1]!.key) ?? 0) - dur);
    const key = e.name === "EventDispatch" ? `EventDispatch ${e.args?.data?.type}` : e.name;
    self.set(key, (self.get(key) ?? 0) + dur);
    stack.push({ end: e.ts + dur, key });
  }
  console.log(`${n} panes, ${density}, ${size}: main thread tasks ${(top / 1000 / SECONDS / 10).toFixed(1)} % (${SECONDS} s, wall time of tasks)`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${((v / 1000 / SECONDS) / 10).toFixed(2).padStart(7)} %  ${k}`);
  console.log(`cpu profile: ${path.join(dir, "page.cpuprofile")} (tsx bench/profile-top.ts it)`);
  await context.close();
} finally {
  await browser.close();
  await server.stop();
  await tmux.kill();
}
