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
