import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { compileRules, detectStatus } from "../../lib/agents/status.ts";
import { EventLog } from "../../lib/events/event-log.ts";
import { Throttle } from "../../lib/events/throttle.ts";
import { topologyEvents } from "../../lib/events/topology-events.ts";
import type { AgentType, PaneInfo, Topology } from "../../lib/protocol.ts";

const screen = (name: string) => readFileSync(path.join(import.meta.dirname, "../fixtures/screens", `${name}.txt`), "utf8").split("\n");
const rules = compileRules();
const detect = (agentType: AgentType, name: string, extra: { atShell?: boolean; recentlyActive?: boolean } = {}) =>
  detectStatus({ agentType, lines: screen(name), dead: false, atShell: extra.atShell ?? false, recentlyActive: extra.recentlyActive ?? false }, rules);

describe("agent status from recorded screens", () => {
  it.each([
    ["claude", "claude-working", "working"],
    ["claude", "claude-idle", "idle"],
    ["claude", "claude-waiting", "waiting-for-input"],
    ["claude", "claude-error", "error"],
    ["codex", "codex-working", "working"],
    ["codex", "codex-waiting", "waiting-for-input"],
    ["aider", "aider-waiting", "waiting-for-input"],
    ["aider", "aider-idle", "idle"],
    ["shell", "shell-waiting", "waiting-for-input"],
  ] as const)("%s: %s is %s", (type, name, state) => {
    expect(detect(type, name).state).toBe(state);
  });

  it("reads the prompt before old output: an earlier error above an idle prompt is idle", () => {
    expect(screen("claude-idle").join("\n")).toContain("Error: 3 tests failed");
    expect(detect("claude", "claude-idle").state).toBe("idle");
  });

  it("says which line decided a question or an error", () => {
    expect(detect("claude", "claude-waiting").line).toContain("Do you want to make this edit");
    expect(detect("claude", "claude-error").line).toContain("ENOENT");
  });

  it("a shell at its prompt is idle; a pane with nothing definite follows its activity; a dead pane exited", () => {
    expect(detect("shell", "shell-idle", { atShell: true }).state).toBe("idle");
    const lines = ["compiling module 12 of 40"];
    expect(detectStatus({ agentType: "other", lines, dead: false, atShell: false, recentlyActive: true }, rules).state).toBe("working");
    expect(detectStatus({ agentType: "other", lines, dead: false, atShell: false, recentlyActive: false }, rules).state).toBe("idle");
    expect(detectStatus({ agentType: "claude", lines, dead: true, atShell: false, recentlyActive: true }, rules).state).toBe("exited");
  });

  it("takes rules from config, replacing the default list of that state", () => {
    const custom = compileRules({ other: { waiting: ["approve deploy\\?"] } });
    const s = detectStatus({ agentType: "other", lines: ["approve deploy?"], dead: false, atShell: false, recentlyActive: false }, custom);
    expect(s.state).toBe("waiting-for-input");
  });
});

describe("EventLog", () => {
  it("numbers events, replays after an id, and says when the ring no longer reaches back", () => {
    const log = new EventLog("ab12", 3);
    const ids = ["a", "b", "c", "d"].map((x) => log.append({ type: "pane.added", session: "s", window: 0, windowId: "@1", pane: `%${x}`, data: {} }).id);
    expect(ids).toEqual(["ab12:1", "ab12:2", "ab12:3", "ab12:4"]);
    expect(log.since("ab12:2")).toMatchObject({ truncated: false, events: [{ id: "ab12:3" }, { id: "ab12:4" }] });
    expect(log.since("ab12:0").truncated).toBe(true);
    expect(log.since("other:9")).toMatchObject({ truncated: true, events: [{ id: "ab12:2" }, { id: "ab12:3" }, { id: "ab12:4" }] });
    expect(log.since(undefined).events).toHaveLength(3);
  });
});

describe("topology events", () => {
  const pane = (id: string, session: string, w: string): PaneInfo => ({ id, sessionName: session, windowId: w, windowIndex: 0, agentId: null, agentType: "shell", command: "bash" }) as PaneInfo;
  const topo = (sessions: Array<[string, string, Array<[string, string[]]>]>): Topology => ({
    sessions: sessions.map(([id, name, windows]) => ({
      id,
      name,
      attached: 0,
      windows: windows.map(([wid, panes], index) => ({ id: wid, index, name: "w", active: true, panes: panes.map((p) => pane(p, name, wid)) })),
    })),
  });

  it("reports sessions created, renamed and removed, windows and panes added and gone", () => {
    const a = topo([["$1", "alpha", [["@1", ["%1"]]]], ["$2", "beta", [["@2", ["%2"]]]]]);
    const b = topo([["$1", "alpha2", [["@1", ["%1", "%3"]], ["@4", ["%4"]]]], ["$5", "gamma", [["@5", ["%5"]]]]]);
    expect(topologyEvents(a, b).map((e) => `${e.type} ${e.session} ${e.pane ?? e.windowId ?? ""}`)).toEqual([
      "session.renamed alpha2 ",
      "session.created gamma ",
      "session.removed beta ",
      "window.added alpha2 @4",
      "window.added gamma @5",
      "window.closed beta @2",
      "pane.added alpha2 %3",
      "pane.added alpha2 %4",
      "pane.added gamma %5",
      "pane.removed beta %2",
    ]);
  });
});

describe("Throttle", () => {
  it("runs at once, then at most once per interval, and keeps the last request", () => {
    vi.useFakeTimers();
    try {
      let calls = 0;
      const t = new Throttle(500, () => calls++);
      t.request();
      expect(calls).toBe(1);
      for (let i = 0; i < 10; i++) t.request();
      expect(calls).toBe(1);
      vi.advanceTimersByTime(499);
      expect(calls).toBe(1);
      vi.advanceTimersByTime(1);
      expect(calls).toBe(2);
      vi.advanceTimersByTime(5000);
      expect(calls).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
