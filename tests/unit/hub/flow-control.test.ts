import { afterEach, describe, expect, it, vi } from "vitest";
import { setup, stopHubs } from "./fakes.ts";

// setup() gives the hub a window of 3 unacknowledged batches (and a transport bound of 4 packets).
afterEach(() => {
  stopHubs();
  vi.useRealTimers();
});

describe("Hub flow control (batch:ack)", () => {
  it("numbers batches, rising, the same number for every client sharing one encoding", () => {
    const { panes, fanout, hub, join } = setup();
    join("a");
    join("b");
    fanout.sends = [];
    panes.print("%1", "one");
    hub.flush();
    panes.print("%1", "two");
    hub.flush();
    expect(fanout.sends.map((s) => s.ids.length)).toEqual([2, 2]);
    const [first, second] = fanout.sends.map((s) => s.n!);
    expect(second).toBeGreaterThan(first!);
  });

  it("bounds a client that never acknowledges only by its transport", () => {
    const { panes, fanout, hub, join } = setup();
    join("quiet");
    fanout.sends = [];
    for (let i = 0; i < 6; i++) {
      panes.print("%1", `line ${i}`);
      hub.flush();
    }
    expect(fanout.to("quiet")).toHaveLength(6);
  });

  it("holds an acknowledging client at its window, then sends it the current state of every pane once it acknowledges", () => {
    const { panes, fanout, hub, join } = setup();
    const slow = join("slow");
    join("fast");
    hub.acked("slow", 0);
    fanout.sends = [];
    for (let i = 0; i < 6; i++) {
      panes.print("%1", `flood ${i}`);
      panes.print("%2", `other ${i}`);
      hub.flush();
    }
    expect(fanout.to("fast")).toHaveLength(6);
    const held = fanout.sends.filter((s) => s.ids.includes("slow"));
    expect(held).toHaveLength(3);
    for (const s of held) for (const u of s.batch.updates!) expect(slow.mirror.apply(u)).toBe("applied");
    expect(hub.deliveryOf("slow")!.pending).toBe(true);

    fanout.sends = [];
    hub.acked("slow", held.at(-1)!.n!);
    hub.flush();
    const caughtUp = fanout.to("slow");
    expect(caughtUp).toHaveLength(1);
    expect(caughtUp[0]!.updates!.map((u) => u.pane).sort()).toEqual(["%1", "%2"]);
    for (const u of caughtUp[0]!.updates!) expect(slow.mirror.apply(u)).toBe("applied");
    for (const pane of ["%1", "%2"]) {
      expect(slow.mirror.pane(pane)!.lines).toEqual(panes.lines(pane));
      expect(slow.mirror.pane(pane)!.seq).toBe(panes.fullUpdate(pane)!.seq);
    }
    expect(hub.deliveryOf("slow")!.pending).toBe(false);
  });

  it("counts an acknowledgement up to its number only", () => {
    const { panes, fanout, hub, join } = setup();
    join("c");
    hub.acked("c", 0);
    fanout.sends = [];
    const tick = (i: number) => {
      panes.print("%1", `line ${i}`);
      hub.flush();
    };
    for (let i = 0; i < 3; i++) tick(i);
    const ns = fanout.sends.map((s) => s.n!);
    hub.acked("c", ns[0]!); // two still out: room for one more
    tick(3);
    tick(4);
    expect(fanout.to("c")).toHaveLength(4);
  });

  it("wakes the tick itself when an acknowledgement frees a full window with something due", () => {
    vi.useFakeTimers();
    const { panes, fanout, hub, join } = setup();
    join("c");
    hub.acked("c", 0);
    fanout.sends = [];
    for (let i = 0; i < 4; i++) {
      panes.print("%1", `line ${i}`);
      hub.flush();
    }
    expect(fanout.to("c")).toHaveLength(3);
    hub.acked("c", fanout.sends.at(-1)!.n!);
    vi.advanceTimersByTime(100);
    expect(fanout.to("c")).toHaveLength(4);
    expect(hub.deliveryOf("c")!.pending).toBe(false);
  });
});
