import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CloseWatch, TYPED_MS } from "../../../lib/panes/close-watch.ts";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["performance"] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("CloseWatch", () => {
  it("holds a pane typed into as watched closely for a while, and a focused one as long as it is focused", () => {
    const focused = new Set(["%2"]);
    const w = new CloseWatch((p) => focused.has(p));
    expect(w.isClose("%1")).toBe(false);
    expect(w.isClose("%2")).toBe(true);
    w.typed("%1");
    expect(w.isClose("%1")).toBe(true);
    vi.advanceTimersByTime(TYPED_MS - 1);
    expect(w.isClose("%1")).toBe(true);
    vi.advanceTimersByTime(1);
    expect(w.isClose("%1")).toBe(false);
    focused.delete("%2");
    expect(w.isClose("%2")).toBe(false);
  });

  it("remembers a bounded number of typed panes, dropping the oldest", () => {
    const w = new CloseWatch();
    for (let i = 0; i <= 1000; i++) w.typed(`%${i}`);
    expect(w.isClose("%0")).toBe(false);
    expect(w.isClose("%1")).toBe(true);
    expect(w.isClose("%1000")).toBe(true);
  });

  it("tells its listener of a pane typed into and of one newly focused", () => {
    const w = new CloseWatch();
    const told: string[] = [];
    w.onClose((p) => told.push(p));
    w.typed("%1");
    w.focusedNow("%2");
    w.typed("%1");
    expect(told).toEqual(["%1", "%2", "%1"]);
  });
});
