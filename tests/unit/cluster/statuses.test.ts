import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import type { ClusterPaneSource } from "../../../lib/cluster/source.ts";
import { RemoteStatuses } from "../../../lib/cluster/statuses.ts";
import type { FleetEvent } from "../../../lib/protocol.ts";

const statuses = () => new RemoteStatuses("alpha", new EventEmitter() as unknown as ClusterPaneSource, 100);
const status = (pane: string): FleetEvent => ({
  id: "c:1",
  type: "agent.status",
  timestamp: "2026-12-02T06:00:00.000Z",
  schema: 1,
  pane,
  session: "s",
  window: 0,
  windowId: null,
  data: { state: "waiting-for-input", previous: "working", source: "screen", agentType: "claude", line: "Deploy? [y/n]" },
});
const alert = (pane: string): FleetEvent => ({
  ...status(pane),
  type: "pane.alert",
  data: { id: "x", kind: "waiting-for-input", pane, session: "s", window: 0, agentId: null, message: "waiting", line: null, at: "2026-12-02T06:00:00.000Z" },
});

describe("other nodes' statuses and alerts, read from the shared stream", () => {
  it("takes another node's pane by its cluster id, and skips forged or malformed ids and this node's own", () => {
    const s = statuses();
    expect(s.take(status("beta/%3"))).toMatchObject({ pane: "beta/%3", state: "waiting-for-input" });
    for (const pane of ["beta/%3;kill-server", "be ta/%3", "../x/%3", "beta/$1", "%3", "alpha/%3"]) {
      expect(s.take(status(pane)), pane).toBeNull();
      expect(s.get(pane)).toBeNull();
    }
  });

  it("takes another node's pane alert, not one under a forged id", () => {
    const s = statuses();
    expect(s.alertOf(alert("beta/%4"))).toMatchObject({ pane: "beta/%4" });
    expect(s.alertOf(alert("beta/%4 x"))).toBeNull();
    expect(s.alertOf(alert("evil node/%4"))).toBeNull();
  });
});
