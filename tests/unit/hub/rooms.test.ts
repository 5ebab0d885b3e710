import { describe, expect, it } from "vitest";
import { roomsOfFilter, roomsOfPane, visibleTopology, meets } from "../../../lib/hub/rooms.ts";
import type { PaneInfo, Topology } from "../../../lib/protocol.ts";

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
