import { describe, expect, it } from "vitest";
import { ReplayRing } from "../../../lib/hub/replay-ring.ts";
import { update } from "../../helpers/pane-update.ts";

describe("ReplayRing", () => {
  it("replays the deltas since a seq, and gives up past its bound", () => {
    const r = new ReplayRing(3);
    const frames = [["a"], ["a", "b"], ["a", "b", "c"], ["b", "c", "d"], ["c", "d", "e"]];
    r.push(update("%1", 1, 0, [], frames[0]!));
    for (let i = 1; i < frames.length; i++) r.push(update("%1", i + 1, i, frames[i - 1]!, frames[i]!));
    expect(r.since("%1", 3, 1e9)!.map((u) => u.seq)).toEqual([4, 5]);
    expect(r.since("%1", 1, 1e9)).toBeNull();
    expect(r.since("%1", 3, 5)).toBeNull();
    r.drop("%1");
    expect(r.size).toBe(0);
  });
});
