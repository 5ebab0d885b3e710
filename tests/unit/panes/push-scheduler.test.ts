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
      capture: (ids: string[], plain: ReadonlySet<string>) => new Promise<void>((done) => captures.push({ ids, plain: [...plain], done })),
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
