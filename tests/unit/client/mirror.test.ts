import { describe, expect, it } from "vitest";
import { FleetMirror } from "../../../lib/client/mirror.ts";
import { frameHash } from "../../../lib/panes/hash.ts";
import type { PaneInfo, PaneUpdate, Topology } from "../../../lib/protocol.ts";
import { update } from "../../helpers/pane-update.ts";

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
