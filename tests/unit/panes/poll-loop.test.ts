import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PollLoop } from "../../../lib/panes/poll-loop.ts";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("PollLoop", () => {
  it("polls on the base interval while things change, backs off when they do not, and stops", async () => {
    const answers = [true, false, false, false, false, true];
    let ticks = 0;
    const loop = new PollLoop(async () => answers[ticks++] ?? false, { baseIntervalMs: 100, maxIntervalMs: 400, noChangeThreshold: 2 });
    await loop.start();
    expect(ticks).toBe(1);
    expect(loop.intervalMs).toBe(100);
    const intervals: number[] = [];
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(loop.intervalMs);
      intervals.push(loop.intervalMs);
    }
    expect(intervals).toEqual([100, 200, 400, 400, 100]);
    loop.stop();
    const at = ticks;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ticks).toBe(at);
  });

  it("counts a failing tick as unchanged and keeps going", async () => {
    let ticks = 0;
    const loop = new PollLoop(
      async () => {
        ticks++;
        throw new Error("tmux timed out");
      },
      { baseIntervalMs: 50, maxIntervalMs: 50, noChangeThreshold: 1 },
    );
    await loop.start();
    await vi.advanceTimersByTimeAsync(50);
    expect(ticks).toBe(2);
    loop.stop();
  });
});
