import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FrameClock } from "../../../lib/hub/frame-clock.ts";

describe("FrameClock", () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] }));
  afterEach(() => vi.useRealTimers());

  function clock(frameMs: number) {
    let flushes = 0;
    const c: FrameClock = new FrameClock(frameMs, () => {
      c.flushing();
      flushes++;
    });
    return { c, flushes: () => flushes };
  }

  it("flushes once for everything due before the tick, at once when the last flush is a frame ago", () => {
    const { c, flushes } = clock(16);
    c.due();
    c.due();
    vi.advanceTimersByTime(0);
    expect(flushes()).toBe(1);
  });

  it("waits out the rest of the frame after a flush, counting a direct flush too", () => {
    const { c, flushes } = clock(16);
    c.flushing();
    c.due();
    vi.advanceTimersByTime(15);
    expect(flushes()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(flushes()).toBe(1);
  });

  it("runs nothing once stopped, and cancels what was due", () => {
    const { c, flushes } = clock(16);
    c.flushing();
    c.due();
    c.stop();
    c.due();
    vi.advanceTimersByTime(100);
    expect(flushes()).toBe(0);
  });
});
