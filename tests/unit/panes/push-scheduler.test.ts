import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PushScheduler } from "../../../lib/panes/push-scheduler.ts";

/** Fake ports: captures and topology reads stay pending until the test settles them. */
function ports(known: string[]) {
  const captures: Array<{ ids: string[]; plain: string[]; done: () => void }> = [];
  const topologyReads: Array<() => void> = [];
  return {
    captures,
    topologyReads,
    port: {
      // Every pane read counts as changed.
      capture: (ids: string[], plain: ReadonlySet<string>) =>
        new Promise<ReadonlySet<string>>((resolve) => captures.push({ ids, plain: [...plain], done: () => resolve(new Set(ids)) })),
      readTopology: () => new Promise<void>((done) => topologyReads.push(done)),
      isKnown: (id: string) => known.includes(id),
    },
  };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("PushScheduler", () => {
  it("captures all dirty panes in one call, at most once per frame interval, keeping the trailing edge", async () => {
    const { captures, port } = ports(["%1", "%2"]);
    const s = new PushScheduler(port, { frameIntervalMs: 30, topologyRefreshMs: 10_000 });
    s.markDirty("%1");
    s.markDirty("%2");
    s.markDirty("%1");
    await vi.advanceTimersByTimeAsync(0);
    expect(captures.map((c) => c.ids)).toEqual([["%1", "%2"]]);
    s.markDirty("%2");
    captures[0]!.done();
    await vi.advanceTimersByTimeAsync(29);
    expect(captures).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(captures.map((c) => c.ids)).toEqual([["%1", "%2"], ["%2"]]);
    await s.stop();
  });

  it("reads a pane's changed rows alone only when everything it printed since its last read was plain", async () => {
    const { captures, port } = ports(["%1", "%2", "%3"]);
    const s = new PushScheduler(port, { frameIntervalMs: 0, topologyRefreshMs: 10_000 });
    s.onOutput("%1", true);
    s.onOutput("%1", true);
    s.onOutput("%2", true);
    s.onOutput("%2", false);
    s.onOutput("%3", true);
    // Asked for whole (a resize, a new control client): whole, whatever output follows.
    s.markDirty("%3");
    s.onOutput("%3", true);
    await vi.advanceTimersByTimeAsync(0);
    expect(captures.map((c) => [c.ids, c.plain])).toEqual([[["%1", "%2", "%3"], ["%1"]]]);
    captures[0]!.done();
    await s.stop();
  });

  it("does not capture a pane it was told to forget or the topology does not know", async () => {
    const { captures, port } = ports(["%1"]);
    const s = new PushScheduler(port, { frameIntervalMs: 0, topologyRefreshMs: 10_000 });
    s.markDirty("%1");
    s.markDirty("%7");
    s.forget("%1");
    await vi.advanceTimersByTimeAsync(0);
    expect(captures).toHaveLength(0);
    await s.stop();
  });

  it("reads the topology at once for output from an unknown pane", async () => {
    const { topologyReads, captures, port } = ports([]);
    const s = new PushScheduler(port, { frameIntervalMs: 0, topologyRefreshMs: 10_000 });
    s.onOutput("%5");
    await vi.advanceTimersByTimeAsync(0);
    expect(topologyReads).toHaveLength(1);
    expect(captures).toHaveLength(0);
    topologyReads[0]!();
    await s.stop();
  });

  it("re-reads the topology after output at most once per refresh interval, and once after the burst", async () => {
    const { topologyReads, port } = ports(["%1"]);
    const s = new PushScheduler(port, { frameIntervalMs: 0, topologyRefreshMs: 1000 });
    await vi.advanceTimersByTimeAsync(1000);
    s.onOutput("%1");
    await vi.advanceTimersByTimeAsync(1);
    expect(topologyReads).toHaveLength(1);
    topologyReads[0]!();
    for (let i = 0; i < 9; i++) {
      s.onOutput("%1");
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(topologyReads).toHaveLength(1);
    // The burst ended inside the interval: one more read at its end picks up the last titles.
    await vi.advanceTimersByTimeAsync(1000);
    expect(topologyReads).toHaveLength(2);
    topologyReads[1]!();
    await s.stop();
  });

  it("never overlaps topology reads: asks made during one make exactly one more", async () => {
    const { topologyReads, port } = ports([]);
    const s = new PushScheduler(port, { frameIntervalMs: 0, topologyRefreshMs: 1000 });
    const first = s.refreshTopology();
    void s.refreshTopology();
    void s.refreshTopology();
    expect(topologyReads).toHaveLength(1);
    topologyReads[0]!();
    await first;
    await vi.advanceTimersByTimeAsync(0);
    expect(topologyReads).toHaveLength(2);
    topologyReads[1]!();
    await vi.advanceTimersByTimeAsync(100);
    expect(topologyReads).toHaveLength(2);
    await s.stop();
  });
});

describe("PushScheduler, busy pace", () => {
  /** Fake ports whose captures finish at once; `close` holds the panes watched closely. */
  function settled(known: string[], close = new Set<string>()) {
    const reads: Array<{ at: number; ids: string[] }> = [];
    const port = {
      capture: async (ids: string[]) => {
        reads.push({ at: performance.now(), ids });
        return new Set(ids);
      },
      readTopology: async () => {},
      isKnown: (id: string) => known.includes(id),
      isClose: (id: string) => close.has(id),
    };
    return { reads, port, close };
  }
  const opts = { frameIntervalMs: 30, topologyRefreshMs: 60_000, busyIntervalMs: 250 };

  it("reads a pane's first output at once, then, while it keeps printing, once per busy interval, keeping the last change", async () => {
    const { reads, port } = settled(["%1"]);
    const s = new PushScheduler(port, opts);
    const t0 = performance.now();
    s.onOutput("%1");
    await vi.advanceTimersByTimeAsync(0);
    expect(reads.map((r) => r.at - t0)).toEqual([0]);
    // Output every 10 ms for 600 ms: read at the busy ticks only, not at every frame.
    for (let i = 0; i < 60; i++) {
      await vi.advanceTimersByTimeAsync(10);
      s.onOutput("%1");
    }
    expect(reads.map((r) => r.at - t0)).toEqual([0, 250, 500]);
    // The last output (at 600 ms) is read at the next tick: the trailing edge.
    await vi.advanceTimersByTimeAsync(1000);
    expect(reads.map((r) => r.at - t0)).toEqual([0, 250, 500, 750]);
    await s.stop();
  });

  it("reads every streaming pane in one call per busy tick", async () => {
    const { reads, port } = settled(["%1", "%2", "%3"]);
    const s = new PushScheduler(port, opts);
    const t0 = performance.now();
    // Three panes start streaming 10 ms apart, each printing every 30 ms.
    for (let i = 0; i < 40; i++) {
      s.onOutput(["%1", "%2", "%3"][i % 3]!);
      await vi.advanceTimersByTimeAsync(10);
    }
    const ticks = reads.filter((r) => r.at - t0 >= 250);
    expect(ticks.map((r) => [r.at - t0, [...r.ids].sort()])).toEqual([[250, ["%1", "%2", "%3"]]]);
    await s.stop();
  });

  it("keeps the frame pace for a pane watched closely while the others wait for the busy tick", async () => {
    const { reads, port } = settled(["%1", "%2"], new Set(["%2"]));
    const s = new PushScheduler(port, opts);
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) {
      s.onOutput("%1");
      s.onOutput("%2");
      await vi.advanceTimersByTimeAsync(10);
    }
    const of = (id: string) => reads.filter((r) => r.ids.includes(id)).map((r) => r.at - t0);
    expect(of("%2")).toEqual([0, 30, 60, 90, 120, 150, 180]);
    expect(of("%1")).toEqual([0]);
    await vi.advanceTimersByTimeAsync(50);
    expect(of("%1")).toEqual([0, 250]);
    await s.stop();
  });

  it("moves a waiting pane to the frame pace as soon as it is watched closely", async () => {
    const { reads, port, close } = settled(["%1"]);
    const s = new PushScheduler(port, opts);
    const t0 = performance.now();
    s.onOutput("%1");
    await vi.advanceTimersByTimeAsync(40);
    s.onOutput("%1");
    await vi.advanceTimersByTimeAsync(10);
    expect(reads.map((r) => r.at - t0)).toEqual([0]);
    // Focused now: its next output is read at the next frame, not at the busy tick.
    close.add("%1");
    s.onOutput("%1");
    await vi.advanceTimersByTimeAsync(0);
    expect(reads.map((r) => r.at - t0)).toEqual([0, 50]);
    await s.stop();
  });

  it("reads a pane at once again after a quiet spell of a busy interval", async () => {
    const { reads, port } = settled(["%1"]);
    const s = new PushScheduler(port, opts);
    const t0 = performance.now();
    s.onOutput("%1");
    await vi.advanceTimersByTimeAsync(100);
    s.onOutput("%1");
    await vi.advanceTimersByTimeAsync(1000);
    expect(reads.map((r) => r.at - t0)).toEqual([0, 250]);
    // Quiet since 250: output at 1100 is read at once.
    s.onOutput("%1");
    await vi.advanceTimersByTimeAsync(0);
    expect(reads.map((r) => r.at - t0)).toEqual([0, 250, 1100]);
    await s.stop();
  });
});

describe("PushScheduler, held output", () => {
  /**
   * Fake ports: captures finish at once and say changed the panes in `changing` (all of them when it
   * is null); `fail` makes the next capture throw; holds and releases are recorded in order.
   */
  function holding(known: string[]) {
    const reads: Array<{ at: number; ids: string[]; plain: string[] }> = [];
    const calls: string[] = [];
    const state = { changing: null as Set<string> | null, fail: false, close: new Set<string>() };
    const port = {
      capture: async (ids: string[], plain: ReadonlySet<string>) => {
        reads.push({ at: performance.now(), ids, plain: [...plain] });
        if (state.fail) {
          state.fail = false;
          throw new Error("tmux timed out");
        }
        return new Set(ids.filter((id) => state.changing === null || state.changing.has(id)));
      },
      readTopology: async () => {},
      isKnown: (id: string) => known.includes(id),
      isClose: (id: string) => state.close.has(id),
      hold: (id: string) => calls.push(`hold ${id}`),
      release: (id: string) => calls.push(`release ${id}`),
    };
    return { reads, calls, state, port };
  }
  const opts = { frameIntervalMs: 30, topologyRefreshMs: 60_000, busyIntervalMs: 250 };

  it("holds a pane that keeps printing, reads it whole at every busy tick, and releases it at the first tick that finds it unchanged", async () => {
    const { reads, calls, state, port } = holding(["%1"]);
    const s = new PushScheduler(port, opts);
    const t0 = performance.now();
    // Its first output after a quiet spell is read at once and told plain: not held.
    s.onOutput("%1", true);
    await vi.advanceTimersByTimeAsync(10);
    expect(calls).toEqual([]);
    // Printing again within the busy interval: held, and from now on read whole.
    s.onOutput("%1", true);
    expect(calls).toEqual(["hold %1"]);
    expect(s.isHeld("%1")).toBe(true);
    // Nothing more comes from tmux for it (held), yet it is read at each busy tick while it changes.
    await vi.advanceTimersByTimeAsync(500);
    expect(reads.map((r) => [r.at - t0, r.ids, r.plain])).toEqual([
      [0, ["%1"], ["%1"]],
      [250, ["%1"], []],
      [500, ["%1"], []],
    ]);
    // It went quiet: the next tick finds it unchanged and releases it; no more reads.
    state.changing = new Set();
    await vi.advanceTimersByTimeAsync(250);
    expect(calls).toEqual(["hold %1", "release %1"]);
    expect(s.heldCount).toBe(0);
    // tmux says it sends the pane's output again: it is read once more (at its pace), for what it
    // printed between that read and the release; then no more reads while nothing is told.
    s.onContinued("%1");
    await vi.advanceTimersByTimeAsync(1000);
    expect(reads.map((r) => r.at - t0)).toEqual([0, 250, 500, 750, 1000]);
    await s.stop();
  });

  it("asks again to hold a held pane whose output still comes (a new client after a reconnect, or tmux's %pause)", async () => {
    const { calls, port } = holding(["%1"]);
    const s = new PushScheduler(port, opts);
    s.onOutput("%1");
    await vi.advanceTimersByTimeAsync(10);
    s.onOutput("%1");
    s.onOutput("%1");
    expect(calls).toEqual(["hold %1", "hold %1"]);
    await s.stop();
  });

  it("releases a held pane at once when it comes to be watched closely, and reads its next output at the frame pace", async () => {
    const { reads, calls, state, port } = holding(["%1", "%2"]);
    const s = new PushScheduler(port, opts);
    const t0 = performance.now();
    for (const id of ["%1", "%2"]) s.onOutput(id);
    await vi.advanceTimersByTimeAsync(10);
    for (const id of ["%1", "%2"]) s.onOutput(id);
    expect(calls).toEqual(["hold %1", "hold %2"]);
    // Focused (or typed into) now: its output flows again, while the other pane stays held.
    state.close.add("%1");
    s.watchedClosely("%1");
    expect(calls).toEqual(["hold %1", "hold %2", "release %1"]);
    await vi.advanceTimersByTimeAsync(30);
    s.onOutput("%1");
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(["hold %1", "hold %2", "release %1"]);
    const of = (id: string) => reads.filter((r) => r.ids.includes(id)).map((r) => r.at - t0);
    expect(of("%1")).toEqual([0, 40]);
    expect(of("%2")).toEqual([0]);
    await vi.advanceTimersByTimeAsync(210);
    expect(of("%2")).toEqual([0, 250]);
    await s.stop();
  });

  it("releases at its tick a held pane that came to be watched closely untold", async () => {
    const { calls, state, port } = holding(["%1"]);
    const s = new PushScheduler(port, opts);
    s.onOutput("%1");
    await vi.advanceTimersByTimeAsync(10);
    s.onOutput("%1");
    state.close.add("%1");
    await vi.advanceTimersByTimeAsync(250);
    expect(calls).toEqual(["hold %1", "release %1"]);
    await s.stop();
  });

  it("keeps a held pane held through a failed read, reading it again at the next tick", async () => {
    const { reads, calls, state, port } = holding(["%1"]);
    const s = new PushScheduler(port, opts);
    const t0 = performance.now();
    s.onOutput("%1");
    await vi.advanceTimersByTimeAsync(10);
    s.onOutput("%1");
    state.fail = true;
    state.changing = new Set();
    await vi.advanceTimersByTimeAsync(500);
    expect(reads.map((r) => r.at - t0)).toEqual([0, 250, 500]);
    expect(calls).toEqual(["hold %1", "release %1"]);
    await s.stop();
  });

  it("forgets a held pane that went away: never read nor released again", async () => {
    const { reads, calls, port } = holding(["%1"]);
    const s = new PushScheduler(port, opts);
    s.onOutput("%1");
    await vi.advanceTimersByTimeAsync(10);
    s.onOutput("%1");
    s.forget("%1");
    await vi.advanceTimersByTimeAsync(1000);
    expect(reads).toHaveLength(1);
    expect(calls).toEqual(["hold %1"]);
    expect(s.heldCount).toBe(0);
    await s.stop();
  });

  it("never holds a pane when the feed cannot hold output (no hold port)", async () => {
    const { reads, port } = holding(["%1"]);
    const s = new PushScheduler({ ...port, hold: undefined, release: undefined }, opts);
    const t0 = performance.now();
    s.onOutput("%1", true);
    await vi.advanceTimersByTimeAsync(10);
    s.onOutput("%1", true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(s.heldCount).toBe(0);
    // Read once for the second output (plain, rows alone), then never again: nothing more was told.
    expect(reads.map((r) => [r.at - t0, r.plain])).toEqual([
      [0, ["%1"]],
      [250, ["%1"]],
    ]);
    await s.stop();
  });
});
