import { describe, expect, it } from "vitest";
import { FleetMirror } from "../../../lib/client/mirror.ts";
import { ReplayRing } from "../../../lib/hub/replay-ring.ts";
import { roomsOfFilter, roomsOfPane, visibleTopology, meets } from "../../../lib/hub/rooms.ts";
import { AdaptivePoller } from "../../../lib/panes/adaptive-poller.ts";
import { diffFrames } from "../../../lib/panes/diff.ts";
import { frameHash } from "../../../lib/panes/hash.ts";
import type { PaneInfo, PaneUpdate, Topology } from "../../../lib/protocol.ts";

const update = (pane: string, seq: number, base: number, prev: string[], next: string[]): PaneUpdate => ({
  pane,
  seq,
  base,
  delta: base === 0 ? { kind: "full", lines: next } : diffFrames(prev, next),
  hash: frameHash(next),
  width: 80,
  height: next.length,
});

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

describe("ReplayRing", () => {
  it("replays the deltas since a seq, and gives up past its bound", () => {
    const r = new ReplayRing(3);
    const frames = [["a"], ["a", "b"], ["a", "b", "c"], ["b", "c", "d"], ["c", "d", "e"]];
    r.push(update("%1", 1, 0, [], frames[0]!));
    for (let i = 1; i < frames.length; i++) r.push(update("%1", i + 1, i, frames[i - 1]!, frames[i]!));
    expect(r.since("%1", 3, 1e9)!.map((u) => u.seq)).toEqual([4, 5]);
    expect(r.since("%1", 1, 1e9)).toBeNull();
    expect(r.since("%1", 3, 5)).toBeNull();
    r.drop("%1");
    expect(r.size).toBe(0);
  });
});

describe("FleetMirror", () => {
  const topo = (ids: string[]): Topology => ({
    sessions: [{ id: "$0", name: "s", attached: 0, windows: [{ id: "@0", index: 0, name: "w", active: true, panes: ids.map((id, index) => ({ id, index }) as PaneInfo) }] }],
  });

  it("applies deltas in order, reports gaps and hash mismatches, ignores stale updates", () => {
    const m = new FleetMirror();
    m.setTopology(topo(["%1"]));
    expect(m.apply(update("%1", 1, 0, [], ["x", "y"]))).toBe("applied");
    const gap: PaneUpdate = { pane: "%1", seq: 3, base: 2, delta: { kind: "diff", shift: 0, length: 2, set: [[1, "z"]] }, hash: frameHash(["x", "z"]), width: 80, height: 2 };
    expect(m.apply(gap)).toBe("gap");
    expect(m.apply({ ...update("%1", 2, 1, ["x", "y"], ["x", "q"]), hash: 1 })).toBe("mismatch");
    const a = ["x", "y"];
    const b = ["y", "a longer line that makes a scroll cheaper than a full frame"];
    expect(m.apply(update("%1", 2, 1, a, b))).toBe("applied");
    expect(m.apply(update("%1", 2, 1, a, b))).toBe("stale");
    expect(m.pane("%1")!.lines).toEqual(b);
    expect(m.have()).toBeUndefined();
    m.hello({ epoch: "e1", protocolVersion: 1, serverVersion: "x", tmux: "up", watchMode: "push", principal: { name: "t", role: "viewer", sessions: null }, authEnabled: false, highlight: { error: [], warning: [] } });
    expect(m.have()).toEqual({ epoch: "e1", seqs: { "%1": 2 } });
  });

  it("keeps the lines that scroll off the top", () => {
    const m = new FleetMirror({ maxScrollback: 3 });
    let prev = Array.from({ length: 10 }, (_, i) => `output line number ${i}`);
    m.apply(update("%1", 1, 0, [], prev));
    for (let seq = 2; seq <= 4; seq++) {
      const next = [...prev.slice(2), `new line ${seq}a`, `new line ${seq}b`];
      expect(m.apply(update("%1", seq, seq - 1, prev, next))).toBe("applied");
      prev = next;
    }
    expect(m.pane("%1")!.scrolled).toEqual(["output line number 3", "output line number 4", "output line number 5"]);
  });

  it("drops panes that leave the topology, and everything when the server's epoch changes", () => {
    const m = new FleetMirror();
    m.hello({ epoch: "a", protocolVersion: 1, serverVersion: "x", tmux: "up", watchMode: "push", principal: { name: "t", role: "viewer", sessions: null }, authEnabled: false, highlight: { error: [], warning: [] } });
    m.setTopology(topo(["%1", "%2"]));
    m.apply(update("%1", 1, 0, [], ["1"]));
    m.apply(update("%2", 2, 0, [], ["2"]));
    m.setTopology(topo(["%2"]));
    expect(m.paneIds()).toEqual(["%2"]);
    m.hello({ epoch: "b", protocolVersion: 1, serverVersion: "x", tmux: "up", watchMode: "push", principal: { name: "t", role: "viewer", sessions: null }, authEnabled: false, highlight: { error: [], warning: [] } });
    expect(m.paneIds()).toEqual([]);
  });
});

describe("rooms", () => {
  const pane = { id: "%3", sessionId: "$1", sessionName: "agents", windowId: "@2" } as PaneInfo;
  it("a filter meets the panes it names by session name or id, window or pane", () => {
    for (const f of [undefined, { sessions: ["agents"] }, { sessions: ["$1"] }, { windows: ["@2"] }, { panes: ["%3"] }]) {
      expect(meets(new Set(roomsOfFilter(f)), roomsOfPane(pane))).toBe(true);
    }
    expect(meets(new Set(roomsOfFilter({ sessions: ["other"] })), roomsOfPane(pane))).toBe(false);
    const t: Topology = { sessions: [{ id: "$1", name: "agents", attached: 0, windows: [{ id: "@2", index: 0, name: "w", active: true, panes: [pane] }] }] };
    expect(visibleTopology(t, new Set(roomsOfFilter({ panes: ["%9"] }))).sessions).toEqual([]);
  });
});
