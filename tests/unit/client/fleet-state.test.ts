import { describe, expect, it } from "vitest";
import { FleetState } from "../../../lib/client/fleet-state.ts";
import type { AgentStatus, GitState, ResourcesPayload, SessionsPayload } from "../../../lib/protocol.ts";
import { lineKeys } from "../../../components/line-keys.ts";

const status = (pane: string, state: AgentStatus["state"]): AgentStatus => ({ pane, state, previous: null, agentType: "shell", since: "2026-01-01T00:00:00.000Z", line: null, source: "screen" });
const sessions = (st: Record<string, AgentStatus>): SessionsPayload => ({ type: "sessions", sessions: [], status: st, git: {} });
const host = { load: [0, 0, 0] as [number, number, number], cpus: 2, memTotalBytes: 10, memAvailableBytes: 5 };
const resources = (panes: ResourcesPayload["panes"], h = host): ResourcesPayload => ({ at: "x", host: h, panes });

/** Counts notifications per topic. */
function listen(s: FleetState, topics: Parameters<FleetState["on"]>[0][]): Record<string, number> {
  const n: Record<string, number> = {};
  for (const t of topics) {
    n[t] = 0;
    s.on(t, () => n[t]!++);
  }
  return n;
}

describe("FleetState topics", () => {
  it("keeps the sessions list of the sessions push, telling its listeners only when it changed", () => {
    const s = new FleetState();
    const n = listen(s, ["sessions", "summary"]);
    const list = [{ id: "$1", name: "agents", attached: 0, windows: [{ id: "@1", index: 0, name: "w", active: true, panes: [] }] }];
    s.sessions({ type: "sessions", sessions: list, status: {}, git: {} });
    expect(s.sessionList).toEqual(list);
    s.sessions({ type: "sessions", sessions: structuredClone(list), status: {}, git: {} });
    expect(n).toEqual({ sessions: 1, summary: 0 });
    s.sessions({ type: "sessions", sessions: [], status: {}, git: {} });
    expect(n.sessions).toBe(2);
    expect(s.sessionList).toEqual([]);
  });

  it("tells a pane's listeners only of that pane's changes, with a new snapshot only then", () => {
    const s = new FleetState();
    s.sessions(sessions({ "%1": status("%1", "idle"), "%2": status("%2", "idle") }));
    const n = listen(s, ["pane:%1", "pane:%2", "summary"]);
    const a = s.pane("%1");
    s.agentStatus(status("%2", "working"));
    expect(n).toEqual({ "pane:%1": 0, "pane:%2": 1, summary: 1 });
    expect(s.pane("%1")).toBe(a);
    expect(s.pane("%2").status?.state).toBe("working");
    // The same status again (the sessions push repeats what is known): nobody is told.
    s.sessions(sessions({ "%1": status("%1", "idle"), "%2": status("%2", "working") }));
    expect(n).toEqual({ "pane:%1": 0, "pane:%2": 1, summary: 1 });
  });

  it("does not re-render a pane found to be in no work tree (null git after none), but does when it gets git state", () => {
    const s = new FleetState();
    const n = listen(s, ["pane:%1"]);
    const st = { "%1": status("%1", "idle") };
    s.sessions(sessions(st));
    const first = s.pane("%1");
    s.sessions({ ...sessions(st), git: { "%1": null } });
    expect(n["pane:%1"]).toBe(1);
    expect(s.pane("%1")).toBe(first);
    const git: GitState = { root: "/r", branch: "main", upstream: null, ahead: 0, behind: 0, dirty: false, filesChanged: 0, linesAdded: 0, linesRemoved: 0 };
    s.sessions({ ...sessions(st), git: { "%1": git } });
    expect(n["pane:%1"]).toBe(2);
    expect(s.pane("%1").git).toMatchObject({ branch: "main" });
  });

  it("recounts the summary only when a count changes; resources reach their own pane and the host", () => {
    const s = new FleetState();
    s.sessions(sessions({ "%1": status("%1", "working"), "%2": status("%2", "idle") }));
    expect(s.summary.counts).toMatchObject({ working: 1, idle: 1, error: 0 });
    const n = listen(s, ["pane:%1", "pane:%2", "summary"]);
    // %1 and %2 swap states: both panes change, the counts do not.
    s.sessions(sessions({ "%1": status("%1", "idle"), "%2": status("%2", "working") }));
    expect(n).toEqual({ "pane:%1": 1, "pane:%2": 1, summary: 0 });
    s.resourcesUpdated(resources({ "%1": { cpu: 1, rssBytes: 1, processes: 1 } }));
    expect(n).toEqual({ "pane:%1": 2, "pane:%2": 1, summary: 1 });
    s.resourcesUpdated(resources({ "%1": { cpu: 1, rssBytes: 1, processes: 1 } }));
    expect(n).toEqual({ "pane:%1": 2, "pane:%2": 1, summary: 1 });
    expect(s.summary.host).toEqual(host);
  });

  it("keeps alerts and events on their own topics", () => {
    const s = new FleetState();
    const n = listen(s, ["pane:%1", "alerts", "events", "summary"]);
    s.alert({ id: "a", kind: "error", pane: "%1", session: "s", window: 0, agentId: null, message: "m", line: null, at: "x" });
    s.addEvents([{ id: "e:1", type: "pane.added", timestamp: "x", schema: 1, session: null, window: null, windowId: null, pane: "%1", data: {} }]);
    expect(n).toEqual({ "pane:%1": 0, alerts: 1, events: 1, summary: 0 });
  });

  it("caches severity by raw line, bounded", () => {
    const s = new FleetState();
    s.setHighlight({ error: ["\\berror\\b"], warning: [] });
    expect(s.severity("\x1b[31man error\x1b[0m")).toBe("error");
    expect(s.severity("fine")).toBeNull();
    for (let i = 0; i < 6000; i++) s.severity(`line ${i}`);
    expect((s as unknown as { severities: Map<string, unknown> }).severities.size).toBeLessThanOrEqual(5000);
  });
});

describe("lineKeys", () => {
  it("keeps a line's key when the screen scrolls, and tells repeated lines apart", () => {
    const before = lineKeys(["a", "b", "", "c", "$ "]);
    const after = lineKeys(["b", "", "c", "d", "$ "]);
    expect(new Set(before).size).toBe(5);
    expect(after[0]).toBe(before[1]);
    expect(after[2]).toBe(before[3]);
    expect(after[4]).toBe(before[4]);
    const blanks = lineKeys(["", "x", "", ""]);
    expect(new Set(blanks).size).toBe(4);
  });

  it("leaves muted panes out of the counts, and tells the muted topic only when the set changes", () => {
    const s = new FleetState();
    s.sessions(sessions({ "%1": status("%1", "quiet"), "%2": { ...status("%2", "waiting-for-input"), agentType: "claude" } }));
    expect(s.summary.counts.quiet).toBe(1);
    const n = listen(s, ["muted", "summary"]);
    s.setMute((st) => st.state === "quiet" || st.state === "running");
    expect(s.summary.counts.quiet).toBe(0);
    expect(s.summary.counts["waiting-for-input"]).toBe(1);
    expect(s.summary.muted).toBe(1);
    expect([...s.muted]).toEqual(["%1"]);
    expect(n).toEqual({ muted: 1, summary: 1 });
    // The muted pane prints: its state changes, the counts and the muted set do not.
    s.agentStatus(status("%1", "running"));
    expect(n).toEqual({ muted: 1, summary: 1 });
    s.setMute(null);
    expect(s.summary.counts.running).toBe(1);
    expect(s.summary.muted).toBe(0);
    expect(n).toEqual({ muted: 2, summary: 2 });
  });
});
