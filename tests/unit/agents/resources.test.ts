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
});
