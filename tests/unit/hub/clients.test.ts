import { afterEach, describe, expect, it } from "vitest";
import { HubClients } from "../../../lib/hub/clients.ts";
import { Hub, type View } from "../../../lib/hub/hub.ts";
import { FakeClient, FakePanes, FakeTopics, RecordingFanout } from "./fakes.ts";

// The hub's client registry is made before the agents (they ask who watches) and handed to the hub,
// which alone fills it: what the agents read is what the hub's clients may see and follow.

const hubs: Hub[] = [];
afterEach(() => {
  for (const h of hubs.splice(0)) h.stop();
});

function build() {
  const clients = new HubClients();
  // Asked before the hub exists: nobody watches.
  expect(clients.size).toBe(0);
  const panes = new FakePanes();
  panes.addPane("%1", "alpha");
  panes.addPane("%2", "alpha");
  panes.addPane("%3", "beta");
  const hub = new Hub(panes, new FakeTopics(panes), new RecordingFanout(), { maxBufferedPackets: 4, maxUnackedBatches: 3, replayPerPane: 8, frameMs: 16, epoch: "e1" }, clients);
  hubs.push(hub);
  return { clients, hub, panes };
}

const alphaOnly: View = { key: '["alpha"]', sees: (s) => s === "alpha" };

describe("HubClients", () => {
  it("counts the hub's clients and tells which panes they may see: every allowed pane before subscribing, the followed ones after", () => {
    const { clients, hub } = build();
    const all = ["%1", "%2", "%3"];
    expect(clients.seen(all)).toEqual(new Set());

    hub.addClient(new FakeClient("limited"), alphaOnly);
    expect(clients.size).toBe(1);
    expect(clients.seen(all)).toEqual(new Set(["%1", "%2"]));
    expect(clients.canSee("limited", "%3")).toBe(false);

    hub.addClient(new FakeClient("beta-follower"));
    hub.subscribe("beta-follower", { filter: { sessions: ["beta"] } });
    expect(clients.size).toBe(2);
    expect(clients.seen(all)).toEqual(new Set(all));
    expect(hub.canSee("beta-follower", "%1")).toBe(false);

    hub.removeClient("limited");
    expect(clients.seen(all)).toEqual(new Set(["%3"]));
    hub.removeClient("beta-follower");
    expect(clients.size).toBe(0);
    expect(clients.seen(all)).toEqual(new Set());
  });

  it("follows the topology: a pane that is gone is seen by nobody", () => {
    const { clients, hub, panes } = build();
    hub.addClient(new FakeClient("a"));
    expect(clients.seenByAny("%3")).toBe(true);
    panes.emit("removed", "%3");
    expect(clients.seenByAny("%3")).toBe(false);
    expect(clients.seenByAny("%1")).toBe(true);
  });

  it("knows which panes a client shows in its focused view, only panes it may see, until it leaves or changes focus", () => {
    const { clients, hub } = build();
    hub.addClient(new FakeClient("limited"), alphaOnly);
    hub.addClient(new FakeClient("all"));
    hub.setFocus("limited", ["%1", "%3"]);
    expect(["%1", "%2", "%3"].filter((p) => clients.focused(p))).toEqual(["%1"]);
    hub.setFocus("all", ["%1"]);
    hub.setFocus("limited", ["%2"]);
    expect(["%1", "%2", "%3"].filter((p) => clients.focused(p))).toEqual(["%1", "%2"]);
    hub.removeClient("all");
    expect(["%1", "%2", "%3"].filter((p) => clients.focused(p))).toEqual(["%2"]);
    hub.setFocus("limited", []);
    expect(["%1", "%2", "%3"].filter((p) => clients.focused(p))).toEqual([]);
  });

  it("tells of a pane that comes to be shown in a focused view where none showed it", () => {
    const { clients, hub } = build();
    const told: string[] = [];
    clients.onFocus = (p) => told.push(p);
    hub.addClient(new FakeClient("a"));
    hub.addClient(new FakeClient("b"));
    hub.setFocus("a", ["%1"]);
    hub.setFocus("b", ["%1", "%2"]);
    expect(told).toEqual(["%1", "%2"]);
    hub.setFocus("a", []);
    hub.setFocus("b", []);
    hub.setFocus("a", ["%1"]);
    expect(told).toEqual(["%1", "%2", "%1"]);
  });

  it("forgets a focused pane that is gone", () => {
    const { clients, hub, panes } = build();
    hub.addClient(new FakeClient("a"));
    hub.setFocus("a", ["%1", "%2"]);
    panes.emit("removed", "%1");
    expect(["%1", "%2"].filter((p) => clients.focused(p))).toEqual(["%2"]);
    hub.removeClient("a");
    expect(clients.focused("%2")).toBe(false);
  });
});
