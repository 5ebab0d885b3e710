import { describe, expect, it } from "vitest";
import { ForegroundTypes } from "../../../lib/tmux/foreground.ts";

// This very process stands in for a pane's: /proc has its argv (node running vitest: no agent).
const pid = process.pid;

describe("ForegroundTypes: the foreground program, looked at on output", () => {
  it("looks at most once per window, and once more when the window ends if output came within it", async () => {
    const types = new ForegroundTypes();
    try {
      const t0 = performance.now();
      expect(types.changed(pid, "node", "claude", t0)).toBe("other");
      let again = 0;
      const later = new Promise<void>((resolve) => {
        // Output within the window: not looked at now, but asked again once, however many came.
        expect(types.changed(pid, "node", "claude", t0 + 10, () => (again++, resolve()))).toBeNull();
        expect(types.changed(pid, "node", "claude", t0 + 20, () => again++)).toBeNull();
      });
      await later;
      expect(again).toBe(1);
      // The look the trailing call makes is not held back by the window it waited for.
      expect(types.changed(pid, "node", "claude", t0 + 30, undefined, 0)).toBe("other");
    } finally {
      types.stop();
    }
  });

  it("drops the looks still to come of panes that went", async () => {
    const types = new ForegroundTypes();
    try {
      const t0 = performance.now();
      types.changed(pid, "node", "other", t0);
      let called = false;
      types.changed(pid, "node", "other", t0 + 1, () => (called = true));
      types.keep(new Set());
      // The pane again, with a window that ends after the dropped one would have: by its trailing
      // call, the dropped one would have come.
      types.changed(pid, "node", "other", performance.now());
      await new Promise<void>((resolve) => types.changed(pid, "node", "other", performance.now() + 1, resolve));
      expect(called).toBe(false);
    } finally {
      types.stop();
    }
  });
});
