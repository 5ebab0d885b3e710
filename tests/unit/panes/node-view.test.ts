import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { NodeView, type TrackerPort } from "../../../lib/panes/node-view.ts";
import type { Frame, TrackerEvents } from "../../../lib/panes/tracker.ts";
import type { PaneInfo, PaneUpdate, TmuxState, Topology } from "../../../lib/protocol.ts";
import { allPanes } from "../../../lib/topology.ts";

const info = (id: string): PaneInfo => ({ id, index: 0, sessionId: "$1", sessionName: "agents", windowId: "@2", windowIndex: 0, title: "", command: "bash", agentType: "shell", agentId: null, width: 80, height: 2, active: true, dead: false, pid: null, cwd: "/", options: {} });
const topo = (ids: string[]): Topology => ({ sessions: [{ id: "$1", name: "agents", attached: 0, windows: [{ id: "@2", index: 0, name: "w", active: true, panes: ids.map(info) }] }] });
const frame = (seq: number): Frame => ({ lines: ["a", "b"], text: "a\nb", seq, hash: 1, width: 80, height: 2 });

/** A tracker over fixed state: tmux ids, and the panes a fresh topology read would find. */
class FakeTracker extends EventEmitter<TrackerEvents> implements TrackerPort {
  topology = topo(["%3"]);
  state: TmuxState = "up";
  /** Panes tmux has that the last topology read did not see yet. */
  unseen = new Set<string>();
  pane(id: string) {
    return allPanes(this.topology).find((p) => p.id === id);
  }
  async paneNow(id: string) {
    if (this.unseen.delete(id)) {
      this.topology = topo([...allPanes(this.topology).map((p) => p.id), id]);
      this.emit("topology", this.topology);
    }
    return this.pane(id);
  }
  frame(id: string) {
    return id === "%3" ? frame(5) : undefined;
  }
  fullUpdate(id: string): PaneUpdate | null {
    return id === "%3" ? { pane: "%3", seq: 5, base: 0, delta: { kind: "full", lines: ["a", "b"] }, hash: 1, width: 80, height: 2 } : null;
  }
}

describe("NodeView", () => {
  it("on a single node passes tmux's ids through unchanged", async () => {
    const t = new FakeTracker();
    const v = new NodeView(t, null);
    expect(v.topology).toBe(t.topology);
    expect(v.idOf("%3")).toBe("%3");
    expect(v.localOf("%3")).toBe("%3");
    expect(v.pane("%3")?.id).toBe("%3");
    expect(v.fullUpdate("%3")?.pane).toBe("%3");
    const seen: string[] = [];
    v.on("update", (u) => seen.push(u.pane));
    t.emit("update", { pane: "%3", seq: 6, base: 5, delta: { kind: "diff", shift: 0, length: 2, set: [] }, hash: 1, width: 80, height: 2 });
    expect(seen).toEqual(["%3"]);
  });

  it("in a cluster names every pane, window and session with its node, and only its own node's ids lead back to tmux", async () => {
    const t = new FakeTracker();
    const v = new NodeView(t, "alpha");
    expect(allPanes(v.topology).map((p) => [p.id, p.sessionId, p.windowId, p.node])).toEqual([["alpha/%3", "alpha/$1", "alpha/@2", "alpha"]]);
    expect(v.pane("alpha/%3")?.sessionName).toBe("agents");
    expect(v.pane("%3")).toBeUndefined();
    expect(v.localOf("alpha/%3")).toBe("%3");
    expect(v.localOf("beta/%3")).toBeNull();
    expect(v.localOf("%3")).toBeNull();
    expect(v.frame("alpha/%3")?.seq).toBe(5);
    expect(v.frame("beta/%3")).toBeUndefined();
    // The seq is the tracker's: one seq space, whatever the id.
    expect(v.fullUpdate("alpha/%3")).toMatchObject({ pane: "alpha/%3", seq: 5 });
    const events: Array<[string, string]> = [];
    v.on("update", (u) => events.push(["update", u.pane]));
    v.on("removed", (p) => events.push(["removed", p]));
    t.emit("update", { pane: "%3", seq: 6, base: 5, delta: { kind: "diff", shift: 0, length: 2, set: [] }, hash: 1, width: 80, height: 2 });
    t.emit("removed", "%3");
    expect(events).toEqual([["update", "alpha/%3"], ["removed", "alpha/%3"]]);
  });

  it("finds a pane made after the last topology read, with its node's ids", async () => {
    const t = new FakeTracker();
    t.unseen.add("%7");
    const v = new NodeView(t, "alpha");
    expect(v.pane("alpha/%7")).toBeUndefined();
    expect(await v.paneNow("alpha/%7")).toMatchObject({ id: "alpha/%7", sessionId: "alpha/$1", windowId: "alpha/@2", node: "alpha" });
    expect(v.pane("alpha/%7")?.id).toBe("alpha/%7");
    expect(await v.paneNow("beta/%7")).toBeUndefined();
  });
});
