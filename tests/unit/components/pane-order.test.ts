import { describe, expect, it } from "vitest";
import { paneOrder } from "../../../components/pane-order.ts";
import type { AgentState, PaneInfo } from "../../../lib/protocol.ts";

const pane = (id: string, label: string): PaneInfo => ({
  id, index: 0, sessionId: "$1", sessionName: "s", windowId: "@1", windowIndex: 0, title: "", command: "bash", agentType: "claude",
  agentId: label, width: 80, height: 24, active: false, dead: false, pid: null, cwd: "/", options: {},
});

describe("pane order", () => {
  const panes = [pane("%1", "b-2"), pane("%2", "a-10"), pane("%3", "a-9"), pane("%4", "c")];
  const states: Record<string, AgentState> = { "%1": "idle", "%2": "working", "%4": "waiting-for-input" };
  const changed: Record<string, number> = { "%1": 30, "%2": 10, "%3": 20, "%4": 0 };
  const facts = { label: (p: PaneInfo) => p.agentId!, state: (id: string) => states[id], changedAt: (id: string) => changed[id] ?? 0 };
  const ids = (sort: Parameters<typeof paneOrder>[0]) => [...panes].sort(paneOrder(sort, facts)).map((p) => p.id);

  it("puts what needs a person first, then working, idle, and panes without a state last", () => {
    expect(ids("needs-you")).toEqual(["%4", "%2", "%1", "%3"]);
  });

  it("orders by last change, newest first, and by name with numbers in number order", () => {
    expect(ids("activity")).toEqual(["%1", "%3", "%2", "%4"]);
    expect(ids("name")).toEqual(["%3", "%2", "%1", "%4"]);
  });
});
