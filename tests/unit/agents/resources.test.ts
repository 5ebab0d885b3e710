import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Audience } from "../../../lib/agents/audience.ts";
import { ResourceSampler } from "../../../lib/agents/resources.ts";

/** A fake audience port: the sampler reads this process's own /proc entries for real. */
function audience(clients: number, visible: ReadonlySet<string> | null): Audience & { clients: number } {
  const a = { clients, clientCount: () => a.clients, visiblePanes: () => visible };
  return a;
}

const pids = () => new Map([["%1", process.pid], ["%2", process.ppid]]);

describe("ResourceSampler", () => {
  it("walks only the process trees of panes some client can see", async () => {
    const s = new ResourceSampler(pids, { intervalMs: 60_000, audience: audience(1, new Set(["%1"])) });
    const r = await s.sample();
    expect(Object.keys(r.panes)).toEqual(["%1"]);
    expect(r.panes["%1"]!.rssBytes).toBeGreaterThan(0);
    expect(s.stats.trees).toBe(1);
  });

  it("walks every pane when the audience sets no limit, and none when nobody sees any", async () => {
    const all = new ResourceSampler(pids, { intervalMs: 60_000, audience: audience(1, null) });
    expect(Object.keys((await all.sample()).panes).sort()).toEqual(["%1", "%2"]);
    const none = new ResourceSampler(pids, { intervalMs: 60_000, audience: audience(1, new Set()) });
    const r = await none.sample();
    expect(r.panes).toEqual({});
    expect(none.stats.trees).toBe(0);
    expect(r.host.cpus).toBeGreaterThan(0);
  });

  it("does not start while no client is connected, and stops when the last one left", async () => {
    const a = audience(0, null);
    const s = new ResourceSampler(pids, { intervalMs: 60_000, audience: a });
    s.setActive(true);
    expect(s.running).toBe(false);
    a.clients = 1;
    const sampled = new Promise((resolve) => s.once("sample", resolve));
    s.setActive(true);
    expect(s.running).toBe(true);
    await sampled;
    s.stop();
    expect(s.running).toBe(false);
  });

  it("backs off while no pane uses CPU, up to the longest interval, and comes back when a pane prints or works", async () => {
    const sleeper = spawn("sleep", ["1000"], { stdio: "ignore" });
    const spinner = spawn("sh", ["-c", "while :; do :; done"], { stdio: "ignore" });
    try {
      let pid = sleeper.pid!;
      const s = new ResourceSampler(() => new Map([["%1", pid]]), { intervalMs: 1000, maxIntervalMs: 8000, audience: audience(1, null) });
      expect(s.nextIntervalMs).toBe(1000);
      // The first sample has nothing to compare with: no back-off yet.
      await s.sample();
      expect(s.nextIntervalMs).toBe(1000);
      const waits: number[] = [];
      for (let i = 0; i < 4; i++) waits.push((await s.sample(), s.nextIntervalMs));
      expect(waits).toEqual([2000, 4000, 8000, 8000]);
      // A pane printed.
      s.wake();
      expect(s.nextIntervalMs).toBe(1000);
      await s.sample();
      expect(s.nextIntervalMs).toBe(2000);
      // A pane that works without printing: the next sample that sees its CPU goes back to the base.
      pid = spinner.pid!;
      await s.sample();
      const ticks = () => readFileSync(`/proc/${spinner.pid}/stat`, "utf8").split(") ")[1]!.split(" ").slice(11, 13).reduce((a, b) => a + Number(b), 0);
      const start = ticks();
      while (ticks() === start) await new Promise((r) => setImmediate(r));
      await s.sample();
      expect(s.nextIntervalMs).toBe(1000);
    } finally {
      sleeper.kill();
      spinner.kill();
    }
  });

  it("never backs off without a longest interval", async () => {
    const s = new ResourceSampler(pids, { intervalMs: 1000, audience: audience(1, new Set()) });
    await s.sample();
    await s.sample();
    expect(s.nextIntervalMs).toBe(1000);
  });
});
