// npm run bench:browser — the main-thread cost of one Chromium page showing a busy fleet:
//  1. 20 panes, each printing 10 lines/s, all on screen;
//  2. 50 panes, each printing 10 lines/s, of which 40 are off screen (content-visibility skips them).
// Main-thread busy % = Δ TaskDuration / Δ wall time, from CDP Performance.getMetrics, over
// BENCH_SECONDS (10 by default) after a warm-up. Durations are the main thread's CPU time
// (timeDomain threadTicks), so a loaded machine does not inflate them with time spent descheduled;
// BENCH_TIME_DOMAIN=timeTicks measures wall time of tasks instead. The server is `panecast start` on
// the production build. Each case runs per density of the page (comfortable: today's grid; compact;
// list), side by side, the density set as the page remembers it (localStorage), and each against two
// servers side by side: `before`, every pane at the full rate (hub.far_interval_ms 0, the renderer's
// data flow before view:set), and `after`, off-screen panes at most every 2 s (the default).
// BENCH_BEFORE=<dir> makes `before` another built checkout of panecast instead (its server and web UI,
// default settings, e.g. the commit before a renderer change), against this one: both in one run.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Browser, type CDPSession } from "@playwright/test";
import { ServerProcess } from "../tests/e2e/server-process.ts";
import { busyFleet as fleet } from "./busy-fleet.ts";
import { table } from "./fleet.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_MS = 2000;
const TIME_DOMAIN = process.env.BENCH_TIME_DOMAIN === "timeTicks" ? "timeTicks" : "threadTicks";

type Metrics = Record<string, number>;

async function metrics(cdp: CDPSession): Promise<Metrics> {
  const { metrics } = (await cdp.send("Performance.getMetrics")) as { metrics: Array<{ name: string; value: number }> };
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

type Density = "comfortable" | "compact" | "list";

type Variant = "before" | "after";
const BEFORE_DIR = process.env.BENCH_BEFORE ? path.resolve(process.env.BENCH_BEFORE) : null;
const FAR_MS: Record<Variant, number> = { before: BEFORE_DIR ? 2000 : 0, after: 2000 };
const BIN: Record<Variant, string> = { before: path.join(BEFORE_DIR ?? ".", "bin/panecast.js"), after: path.resolve("bin/panecast.js") };

interface Result {
  name: string;
  variant: Variant;
  density: Density;
  cards: number;
  onScreen: number;
  busy: number;
  script: number;
  layout: number;
  style: number;
  layouts: number;
}

async function measure(name: string, panes: number, viewport: { width: number; height: number }, densities: Density[]): Promise<Result[]> {
  const tmux = await fleet(panes);
  const dir = mkdtempSync(path.join(tmpdir(), "panecast-bench-"));
  const servers = Object.fromEntries(
    (Object.keys(FAR_MS) as Variant[]).map((v) => {
      const config = path.join(dir, `${v}.yaml`);
      writeFileSync(config, `hub:\n  far_interval_ms: ${FAR_MS[v]}\n`);
      return [v, new ServerProcess(["-L", tmux.socketName, "--config", config], {}, BIN[v])];
    }),
  ) as Record<Variant, ServerProcess>;
  const browser = await chromium.launch({ executablePath: process.env.PANECAST_CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--no-first-run"] });
  try {
    const urls = { before: await servers.before.start(), after: await servers.after.start() };
    const out: Result[] = [];
    // Alternating, so a change in the machine's load falls on both sides alike.
    for (const density of densities) for (const v of ["before", "after"] as const) out.push({ ...(await measurePage(browser, urls[v], name, panes, viewport, density)), variant: v });
    return out;
  } finally {
    await browser.close();
    await servers.before.stop();
    await servers.after.stop();
    await tmux.kill();
  }
}

async function measurePage(browser: Browser, url: string, name: string, panes: number, viewport: { width: number; height: number }, density: Density): Promise<Omit<Result, "variant">> {
  const context = await browser.newContext({ viewport });
  try {
    const page = await context.newPage();
    await page.addInitScript((d) => window.localStorage.setItem("panecast.view", JSON.stringify({ density: d, sort: "needs-you", pinned: [] })), density);
    const item = density === "list" ? '[data-testid="pane-row"]' : '[data-testid="pane-card"]';
    // Generous waits: on a loaded machine a first load of 50 busy panes can take a while.
    await page.goto(url + "/", { timeout: 180_000 });
    await page.locator('[data-testid="connection-status"][data-state="live"]').waitFor({ timeout: 120_000 });
    await page.waitForFunction(([sel, n]) => document.querySelectorAll(sel as string).length >= (n as number), [item, panes] as const, { timeout: 120_000 });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable", { timeDomain: TIME_DOMAIN });
    await page.waitForTimeout(WARMUP_MS);
    const onScreen = await page.evaluate((sel) => {
      const h = window.innerHeight;
      return [...document.querySelectorAll(sel)].filter((el) => {
        const r = el.getBoundingClientRect();
        return r.bottom > 0 && r.top < h;
      }).length;
    }, item);
    const a = await metrics(cdp);
    const t0 = performance.now();
    await page.waitForTimeout(SECONDS * 1000);
    const b = await metrics(cdp);
    const wall = (performance.now() - t0) / 1000;
    const pct = (k: string) => ((b[k]! - a[k]!) / wall) * 100;
    console.log(`  ${name}, ${density}, ${url}: busy ${pct("TaskDuration").toFixed(1)} %`);
    return { name, density, cards: panes, onScreen, busy: pct("TaskDuration"), script: pct("ScriptDuration"), layout: pct("LayoutDuration"), style: pct("RecalcStyleDuration"), layouts: (b.LayoutCount! - a.LayoutCount!) / wall };
  } finally {
    await context.close();
  }
}

// The server, CLI and web UI as the package ships them (rebuilt only when older than their sources).
execFileSync(process.execPath, ["scripts/build.mjs", "--if-stale"], { stdio: ["ignore", "inherit", "inherit"] });
// BENCH_DENSITIES=compact,list and BENCH_CASES=50 run only those (a quick look at one change).
const all = (process.env.BENCH_DENSITIES?.split(",") ?? ["comfortable", "compact", "list"]) as Density[];
const cases = process.env.BENCH_CASES?.split(",") ?? ["20", "50"];
const results = [
  // Tall enough that all 20 cards are on screen.
  ...(cases.includes("20") ? await measure("20 busy panes, all on screen", 20, { width: 1920, height: 2200 }, all) : []),
  ...(cases.includes("50") ? await measure("50 busy panes, 40 off screen", 50, { width: 1920, height: 900 }, all) : []),
];
const { loadavg } = await import("node:os");
console.log(`\nmain thread of one Chromium page (${TIME_DOMAIN}), ${SECONDS} s per case, every pane printing 10 lines/s, load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
console.log(BEFORE_DIR ? `before: the checkout in ${BEFORE_DIR}; after: this one\n` : "before: far_interval_ms 0; after: the default\n");
console.log(
  table([
    ["case", "density", "server", "panes", "on screen", "busy %", "script %", "layout %", "style %", "layouts/s"],
    ...results.map((r) => [r.name, r.density, r.variant, r.cards, r.onScreen, r.busy, r.script, r.layout, r.style, r.layouts]),
  ]),
);
console.log("\nafter / before, busy %:");
for (const r of results.filter((x) => x.variant === "after")) {
  const b = results.find((x) => x.variant === "before" && x.name === r.name && x.density === r.density)!;
  console.log(`  ${r.name}, ${r.density}: ${b.busy.toFixed(1)} → ${r.busy.toFixed(1)} (×${(r.busy / b.busy).toFixed(2)})`);
}
