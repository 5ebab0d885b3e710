import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { qualifyTopology, splitId } from "../../../lib/cluster/ids.ts";
import type { RemoteEvents, RemoteNode } from "../../../lib/cluster/remote.ts";
import { ClusterPaneSource, type RemotePanes } from "../../../lib/cluster/source.ts";
import { applyDelta, diffFrames } from "../../../lib/panes/diff.ts";
import { frameHash } from "../../../lib/panes/hash.ts";
import type { PaneInfo, PaneUpdate, Topology } from "../../../lib/protocol.ts";

function pane(id: string): PaneInfo {
  return { id, index: 0, sessionId: "$0", sessionName: "work", windowId: "@0", windowIndex: 0, title: "", command: "bash", agentType: "shell", agentId: null, width: 80, height: 3, active: true, dead: false, pid: null, cwd: "", options: {} };
}
const topology = (ids: string[]): Topology => ({ sessions: [{ id: "$0", name: "work", attached: 0, windows: [{ id: "@0", index: 0, name: "w", active: true, panes: ids.map(pane) }] }] });

/** Another node's panes as the remote store holds them, driven by hand. */
class FakeRemote extends EventEmitter<RemoteEvents> implements RemotePanes {
  readonly nodes = new Map<string, RemoteNode>();
  load(node: string, panes: Record<string, string[]>, seq: number): void {
    this.nodes.set(node, { topology: topology(Object.keys(panes)), frames: new Map(Object.entries(panes).map(([id, lines]) => [id, { seq, lines, hash: frameHash(lines), width: 80, height: 3 }])) });
    this.emit("topology", node);
    for (const id of Object.keys(panes)) this.emit("frame", node, id, null, 0);
  }
  write(node: string, id: string, lines: string[], seq: number): void {
    const n = this.nodes.get(node)!;
    const prev = n.frames.get(id)!;
    n.frames.set(id, { seq, lines, hash: frameHash(lines), width: 80, height: 3 });
    this.emit("frame", node, id, diffFrames(prev.lines, lines), prev.seq);
  }
}

function collect(source: ClusterPaneSource): PaneUpdate[] {
  const got: PaneUpdate[] = [];
  source.on("update", (u) => got.push(u));
  return got;
}

describe("ids", () => {
  it("qualifies every id of a node's topology and splits them back", () => {
    const t = qualifyTopology("beta", topology(["%3"]));
    expect(t.sessions[0]).toMatchObject({ id: "beta/$0", node: "beta", windows: [{ id: "beta/@0", node: "beta", panes: [{ id: "beta/%3", sessionId: "beta/$0", windowId: "beta/@0", node: "beta" }] }] });
    expect(splitId("beta/%3")).toEqual({ node: "beta", local: "%3" });
    expect(splitId("%3")).toBeNull();
    expect(splitId("bad node/%3")).toBeNull();
  });
});

describe("ClusterPaneSource", () => {
  it("takes a remote node's panes into the topology with the seqs their node gave them (the same on every node)", () => {
    const remote = new FakeRemote();
    const source = new ClusterPaneSource(null, remote, "alpha");
    const got = collect(source);
    remote.load("beta", { "%1": ["a", "b", ""] }, 40);
    expect(source.topology.sessions.map((s) => s.id)).toEqual(["beta/$0"]);
    expect(got).toEqual([expect.objectContaining({ pane: "beta/%1", seq: 40, base: 0, delta: { kind: "full", lines: ["a", "b", ""] } })]);
    remote.write("beta", "%1", ["a", "b", "c"], 41);
    expect(got[1]).toMatchObject({ pane: "beta/%1", seq: 41, base: 40, delta: { kind: "diff" } });
    expect(applyDelta(["a", "b", ""], got[1]!.delta)).toEqual(["a", "b", "c"]);
    expect(source.fullUpdate("beta/%1")).toMatchObject({ seq: 41, delta: { kind: "full", lines: ["a", "b", "c"] } });
  });

  it("moves the seq with an empty delta when a restarted node reports the same screen under a new seq, sends a changed one whole, and never goes backwards", () => {
    const remote = new FakeRemote();
    const source = new ClusterPaneSource(null, remote, "alpha");
    remote.load("beta", { "%1": ["same"], "%2": ["old"] }, 900);
    const got = collect(source);
    remote.nodes.get("beta")!.frames.set("%1", { seq: 5000, lines: ["same"], hash: frameHash(["same"]), width: 80, height: 3 });
    remote.nodes.get("beta")!.frames.set("%2", { seq: 5001, lines: ["new"], hash: frameHash(["new"]), width: 80, height: 3 });
    remote.emit("topology", "beta");
    remote.emit("frame", "beta", "%1", null, 0);
    remote.emit("frame", "beta", "%2", null, 0);
    expect(got).toEqual([
      expect.objectContaining({ pane: "beta/%1", seq: 5000, base: 900, delta: { kind: "diff", shift: 0, length: 1, set: [] } }),
      expect.objectContaining({ pane: "beta/%2", seq: 5001, base: 0, delta: { kind: "full", lines: ["new"] } }),
    ]);
    remote.nodes.get("beta")!.frames.set("%2", { seq: 10, lines: ["older"], hash: frameHash(["older"]), width: 80, height: 3 });
    remote.emit("frame", "beta", "%2", null, 0);
    expect(got).toHaveLength(2);
  });

  it("marks an unreachable node's sessions offline and removes a dropped node's panes", () => {
    const remote = new FakeRemote();
    const source = new ClusterPaneSource(null, remote, "alpha");
    remote.load("beta", { "%1": ["x"] }, 1);
    const removed: string[] = [];
    source.on("removed", (id) => removed.push(id));
    source.setOffline(new Set(["beta"]));
    expect(source.topology.sessions[0]).toMatchObject({ node: "beta", offline: true });
    expect(source.fullUpdate("beta/%1")).not.toBeNull();
    source.setOffline(new Set());
    expect(source.topology.sessions[0]!.offline).toBeUndefined();
    remote.nodes.delete("beta");
    remote.emit("topology", "beta");
    expect(removed).toEqual(["beta/%1"]);
    expect(source.locate("beta/%1")).toBeNull();
  });
});
