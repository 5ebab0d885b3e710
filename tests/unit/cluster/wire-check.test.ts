import { describe, expect, it } from "vitest";
import { clusterPane, isLocalPane, isNodeName, localTopologyValid } from "../../../lib/cluster/wire-check.ts";
import type { Topology } from "../../../lib/protocol.ts";

const pane = { id: "%3", index: 0, sessionId: "$1", sessionName: "s", windowId: "@2", windowIndex: 0, title: "", command: "bash", agentType: "shell" as const, agentId: null, width: 80, height: 24, active: true, dead: false, pid: null, cwd: "/", options: {} };
const topo = (p: typeof pane, s: Partial<Topology["sessions"][number]> = {}): Topology => ({ sessions: [{ id: "$1", name: "s", attached: 0, windows: [{ id: "@2", index: 0, name: "w", active: true, panes: [p] }], ...s }] });

describe("ids read from Redis", () => {
  it("takes node names and pane ids of the shared shapes only", () => {
    expect(isNodeName("alpha-1.lab")).toBe(true);
    for (const bad of ["", "a b", "../x", "x".repeat(65), "a/b", 3]) expect(isNodeName(bad), String(bad)).toBe(false);
    expect(isLocalPane("%12")).toBe(true);
    for (const bad of ["%", "%1;kill-server", "alpha/%1", "%12345678", "$1"]) expect(isLocalPane(bad), bad).toBe(false);
    expect(clusterPane("beta/%3")).toEqual({ node: "beta", local: "%3" });
    for (const bad of ["beta/%3;x", "be ta/%3", "/%3", "%3", "beta/@1", null]) expect(clusterPane(bad), String(bad)).toBeNull();
  });

  it("refuses a node's topology whose ids are not its own local ids", () => {
    expect(localTopologyValid(topo(pane))).toBe(true);
    expect(localTopologyValid(topo({ ...pane, id: "evil/%3" }))).toBe(false);
    expect(localTopologyValid(topo({ ...pane, windowId: "@2;x" }))).toBe(false);
    expect(localTopologyValid(topo(pane, { id: "x/$1" }))).toBe(false);
    expect(localTopologyValid(topo(pane, { node: "other" }))).toBe(false);
  });
});
