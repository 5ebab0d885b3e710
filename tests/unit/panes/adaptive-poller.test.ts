import { describe, expect, it } from "vitest";
import { AdaptivePoller } from "../../../lib/panes/adaptive-poller.ts";

describe("AdaptivePoller", () => {
  it("doubles after the threshold of unchanged polls, up to the max, and resets on change", () => {
    const p = new AdaptivePoller(100, 500, 2);
    p.onNoChange();
    expect(p.currentIntervalMs).toBe(100);
    p.onNoChange();
    expect(p.currentIntervalMs).toBe(200);
    p.onNoChange();
    p.onNoChange();
    expect(p.currentIntervalMs).toBe(500);
    p.onChange();
    expect(p.currentIntervalMs).toBe(100);
  });
});
