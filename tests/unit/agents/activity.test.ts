import { describe, expect, it } from "vitest";
import { Activity } from "../../../lib/agents/activity.ts";

describe("running/quiet hysteresis", () => {
  it("one screen change is not running; two within quiet_ms are; silence for quiet_ms is quiet again", () => {
    const a = new Activity({ quietMs: 5000, runningUpdates: 2 });
    a.note("%1", 0);
    expect(a.state("%1", "quiet", 10).state).toBe("quiet");
    a.note("%1", 1000);
    expect(a.state("%1", "quiet", 1000)).toEqual({ state: "running", recheckAt: 6000 });
    expect(a.state("%1", "running", 5999).state).toBe("running");
    expect(a.state("%1", "running", 6000).state).toBe("quiet");
  });

  it("a top refreshing every 3 s stays running: no flips", () => {
    const a = new Activity({ quietMs: 5000, runningUpdates: 2 });
    let prev: "running" | "quiet" = "quiet";
    const seen: string[] = [];
    for (let t = 0; t <= 60_000; t += 3000) {
      a.note("%1", t);
      const s: "running" | "quiet" = a.state("%1", prev, t).state;
      if (s !== prev) seen.push(s);
      prev = s;
    }
    expect(seen).toEqual(["running"]);
  });
});
