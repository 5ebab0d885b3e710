import { describe, expect, it, vi } from "vitest";
import { EventLog } from "../../../lib/events/event-log.ts";
import { Throttle } from "../../../lib/events/throttle.ts";
import { topologyEvents } from "../../../lib/events/topology-events.ts";
import type { PaneInfo, Topology } from "../../../lib/protocol.ts";

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
