import { afterEach, describe, expect, it, vi } from "vitest";
import { setup, stopHubs } from "./fakes.ts";

afterEach(stopHubs);

const panesIn = (batches: { updates?: Array<{ pane: string }> }[]) => batches.flatMap((b) => (b.updates ?? []).map((u) => u.pane));

describe("Hub: panes a client shows off screen (view:set)", () => {
  it("sends an off-screen pane at most once per interval, latest wins, and at once when it is back on screen", () => {
    const { panes, fanout, hub, join } = setup({ farIntervalMs: 60_000 });
    const a = join("a");
    join("b");
    hub.setFar("a", ["%2"]);
    const tick = (lines: Record<string, string>) => {
      fanout.sends = [];
      for (const [pane, line] of Object.entries(lines)) panes.print(pane, line);
      hub.flush();
      const got = fanout.to("a");
      for (const batch of got) for (const u of batch.updates ?? []) expect(a.mirror.apply(u)).toBe("applied");
      return { a: panesIn(got).sort(), b: panesIn(fanout.to("b")).sort() };
    };
    // The first change of a far pane goes at once; the interval starts then.
    expect(tick({ "%1": "one", "%2": "two" })).toEqual({ a: ["%1", "%2"], b: ["%1", "%2"] });
    expect(tick({ "%1": "three", "%2": "four" })).toEqual({ a: ["%1"], b: ["%1", "%2"] });
    expect(tick({ "%2": "five" })).toEqual({ a: [], b: ["%2"] });
    expect(a.mirror.pane("%2")!.lines).not.toEqual(panes.lines("%2"));
    // Back on screen: what it missed, as one update, at the next tick.
    hub.setFar("a", []);
    expect(tick({})).toEqual({ a: ["%2"], b: [] });
    expect(a.mirror.pane("%2")!.lines).toEqual(panes.lines("%2"));
    expect(a.mirror.pane("%1")!.lines).toEqual(panes.lines("%1"));
  });

  it("sends what an off-screen pane holds back when its interval ends, even if nothing else changes", async () => {
    const { panes, fanout, hub, join } = setup({ farIntervalMs: 40 });
    const a = join("a");
    hub.setFar("a", ["%2"]);
    panes.print("%2", "first");
    hub.flush();
    panes.print("%2", "last");
    hub.flush();
    expect(panesIn(fanout.to("a"))).toEqual(["%2"]);
    await vi.waitFor(() => expect(panesIn(fanout.to("a"))).toEqual(["%2", "%2"]), { timeout: 5000, interval: 10 });
    for (const b of fanout.to("a")) for (const u of b.updates ?? []) expect(a.mirror.apply(u)).toBe("applied");
    expect(a.mirror.pane("%2")!.lines).toEqual(panes.lines("%2"));
  });

  it("treats every pane alike when the interval is 0", () => {
    const { panes, fanout, hub, join } = setup({ farIntervalMs: 0 });
    join("a");
    hub.setFar("a", ["%2"]);
    for (let i = 0; i < 3; i++) {
      panes.print("%2", `line ${i}`);
      hub.flush();
    }
    expect(panesIn(fanout.to("a"))).toEqual(["%2", "%2", "%2"]);
  });
});

describe("Hub: a client that shows changes at most every frameMs (view:set frameMs)", () => {
  const applyAll = (mirror: ReturnType<ReturnType<typeof setup>["join"]>["mirror"], batches: { updates?: Parameters<typeof mirror.apply>[0][] }[]) => {
    for (const b of batches) for (const u of b.updates ?? []) expect(mirror.apply(u)).toBe("applied");
  };

  it("gets screens at most once per frame, the latest of each pane, and at once again when it stops pacing", () => {
    const { panes, fanout, hub, join } = setup();
    const a = join("a");
    join("b");
    hub.setFar("a", [], 60_000);
    panes.print("%1", "one");
    hub.flush();
    // The first batch goes at once; the frame starts then.
    expect(panesIn(fanout.to("a"))).toEqual(["%1"]);
    applyAll(a.mirror, fanout.to("a"));
    fanout.sends = [];
    for (const line of ["two", "three", "four"]) {
      panes.print("%1", line);
      panes.print("%2", line);
      hub.flush();
    }
    expect(fanout.to("a")).toEqual([]);
    expect(panesIn(fanout.to("b"))).toEqual(["%1", "%2", "%1", "%2", "%1", "%2"]);
    // Pacing off (a focused terminal): what it held, one update per pane, at the next tick.
    hub.setFar("a", [], 0);
    fanout.sends = [];
    hub.flush();
    expect(panesIn(fanout.to("a")).sort()).toEqual(["%1", "%2"]);
    applyAll(a.mirror, fanout.to("a"));
    expect(a.mirror.pane("%1")!.lines).toEqual(panes.lines("%1"));
    expect(a.mirror.pane("%2")!.lines).toEqual(panes.lines("%2"));
  });

  it("is sent an agent's state and an alert at once, with the screens it held", () => {
    const { panes, fanout, hub, join } = setup();
    const a = join("a");
    hub.setFar("a", [], 60_000);
    panes.print("%1", "one");
    hub.flush();
    panes.print("%1", "two");
    hub.flush();
    fanout.sends = [];
    hub.publishStatus({ pane: "%1", source: "screen", state: "waiting-for-input", previous: "running", agentType: "claude", since: "t", line: "Proceed?" });
    hub.publishAlert({ id: "x", kind: "waiting-for-input", pane: "%1", session: "alpha", window: 0, agentId: null, message: "waiting", line: null, at: "t" });
    hub.flush();
    const [batch, ...rest] = fanout.to("a");
    expect(rest).toEqual([]);
    expect(batch!.status?.map((s) => s.state)).toEqual(["waiting-for-input"]);
    expect(batch!.alerts?.map((x) => x.id)).toEqual(["x"]);
    expect(panesIn([batch!])).toEqual(["%1"]);
    applyAll(a.mirror, [batch!]);
    expect(a.mirror.pane("%1")!.lines).toEqual(panes.lines("%1"));
  });

  it("sends what it held when its frame ends, even if nothing else changes", async () => {
    const { panes, fanout, hub, join } = setup();
    const a = join("a");
    hub.setFar("a", [], 40);
    panes.print("%2", "first");
    hub.flush();
    panes.print("%2", "last");
    hub.flush();
    expect(panesIn(fanout.to("a"))).toEqual(["%2"]);
    await vi.waitFor(() => expect(panesIn(fanout.to("a"))).toEqual(["%2", "%2"]), { timeout: 5000, interval: 10 });
    applyAll(a.mirror, fanout.to("a"));
    expect(a.mirror.pane("%2")!.lines).toEqual(panes.lines("%2"));
  });
});
