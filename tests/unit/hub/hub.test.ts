import { afterEach, describe, expect, it } from "vitest";
import type { View } from "../../../lib/hub/hub.ts";
import type { AgentStatus, FleetEvent, NeedsYouItem } from "../../../lib/protocol.ts";
import { setup, stopHubs } from "./fakes.ts";

afterEach(stopHubs);

function item(pane: string, session: string, line: string): NeedsYouItem {
  return { id: `id-${pane}-${line}`, pane, session, window: 0, state: "waiting-for-input", agentType: "shell", agentId: null, since: "2026-12-02T00:00:00.000Z", line, choices: [], promptHash: null };
}

const alphaOnly: View = { key: '["alpha"]', sees: (s) => s === "alpha" };

describe("Hub", () => {
  it("sends each client one batch per tick carrying every pane that changed", () => {
    const { panes, fanout, hub, join } = setup();
    const a = join("a");
    fanout.sends = [];
    panes.print("%1", "one");
    panes.print("%2", "two");
    panes.print("%1", "three");
    hub.flush();
    const batches = fanout.to("a");
    expect(batches).toHaveLength(1);
    const updates = batches[0]!.updates!;
    expect(updates.map((u) => u.pane).sort()).toEqual(["%1", "%2"]);
    for (const u of updates) expect(a.mirror.apply(u)).toBe("applied");
    expect(a.mirror.pane("%1")!.lines).toEqual(panes.lines("%1"));
    expect(a.mirror.pane("%2")!.lines).toEqual(panes.lines("%2"));
  });

  it("encodes one batch for all clients in step with the same view and filter", () => {
    const { panes, fanout, hub, join } = setup();
    join("a");
    join("b");
    join("c");
    join("f", null, { sessions: ["beta"] });
    fanout.sends = [];
    panes.print("%1", "shared");
    panes.print("%3", "beta line");
    hub.flush();
    expect(fanout.sends).toHaveLength(2);
    expect(fanout.sends.find((s) => s.ids.length === 3)!.ids.sort()).toEqual(["a", "b", "c"]);
    expect(fanout.sends.find((s) => s.ids.includes("f"))!.batch.updates!.map((u) => u.pane)).toEqual(["%3"]);
    expect(hub.stats.deliveries).toBe(4);
  });

  it("skips a client over its bound, then sends it one current state per pane, latest wins", () => {
    const { panes, fanout, hub, join } = setup();
    const slow = join("slow");
    join("fast");
    slow.port.backlog = 10;
    for (let i = 0; i < 6; i++) {
      panes.print("%1", `flood ${i}`);
      panes.print("%2", `other ${i}`);
      hub.flush();
    }
    expect(fanout.to("slow")).toHaveLength(0);
    expect(fanout.to("fast")).toHaveLength(6);
    slow.port.drain();
    hub.flush();
    const got = fanout.to("slow");
    expect(got).toHaveLength(1);
    const perPane = new Map<string, number>();
    for (const u of got[0]!.updates!) perPane.set(u.pane, (perPane.get(u.pane) ?? 0) + 1);
    expect([...perPane.values()]).toEqual([1, 1]);
    for (const u of got[0]!.updates!) expect(slow.mirror.apply(u)).toBe("applied");
    expect(slow.mirror.pane("%1")!.lines).toEqual(panes.lines("%1"));
    expect(slow.mirror.pane("%2")!.lines).toEqual(panes.lines("%2"));
  });

  it("keeps only the latest resources and sessions for a client that is behind", () => {
    const { topics, fanout, hub, join } = setup();
    const slow = join("slow");
    hub.flush();
    fanout.sends = [];
    slow.port.backlog = 10;
    for (let i = 1; i <= 3; i++) {
      topics.latest = { at: `t${i}`, host: { load: [0, 0, 0], cpus: 1, memTotalBytes: 1, memAvailableBytes: 1 }, panes: {} };
      hub.resourcesSampled();
      hub.sessionsChanged();
      hub.flush();
    }
    slow.port.drain();
    hub.flush();
    const got = fanout.to("slow");
    expect(got).toHaveLength(1);
    expect(got[0]!.resources!.at).toBe("t3");
    expect(got[0]!.sessions!.type).toBe("sessions");
  });

  it("sends the needs-you queue in a client's first batch, then whole and latest-wins, limited to its sessions", () => {
    const { topics, fanout, hub, join } = setup();
    topics.open = [item("%1", "alpha", "first?")];
    const slow = join("slow");
    join("lim", alphaOnly);
    hub.flush();
    expect(fanout.to("slow")[0]!.needsYou!.open.map((i) => i.line)).toEqual(["first?"]);
    fanout.sends = [];
    slow.port.backlog = 10;
    for (const line of ["second?", "third?"]) {
      topics.open = [item("%1", "alpha", line), item("%3", "beta", `beta ${line}`)];
      hub.needsYouChanged();
      hub.flush();
    }
    expect(fanout.to("slow")).toHaveLength(0);
    expect(fanout.to("lim").at(-1)!.needsYou!.open.map((i) => i.pane)).toEqual(["%1"]);
    slow.port.drain();
    hub.flush();
    const got = fanout.to("slow");
    expect(got).toHaveLength(1);
    expect(got[0]!.needsYou!.open.map((i) => i.line)).toEqual(["third?", "beta third?"]);
  });

  it("never gives a token limited to some sessions anything of another session, nor a shared batch with others", () => {
    const { panes, topics, fanout, hub, join } = setup();
    join("all");
    join("lim", alphaOnly);
    hub.subscribeEvents("all", {}, null);
    hub.subscribeEvents("lim", {}, null);
    fanout.sends = [];
    panes.print("%1", "alpha line");
    panes.print("%3", "beta secret");
    const status = (pane: string): AgentStatus => ({ pane, state: "idle", previous: null, agentType: "shell", since: "t", line: null, source: "screen" });
    hub.publishStatus(status("%1"));
    hub.publishStatus(status("%3"));
    hub.publishAlert({ id: "x", kind: "error", pane: "%3", session: "beta", window: 0, agentId: null, message: "beta secret", line: null, at: "t" });
    const event = (n: number, session: string): FleetEvent => ({ id: `e1:${n}`, type: "agent.status", timestamp: "t", schema: 1, session, window: 0, windowId: null, pane: null, data: {} });
    hub.publishEvent(event(1, "alpha"));
    hub.publishEvent(event(2, "beta"));
    topics.latest = { at: "t", host: { load: [0, 0, 0], cpus: 1, memTotalBytes: 1, memAvailableBytes: 1 }, panes: { "%1": { cpu: 1, rssBytes: 1, processes: 1 }, "%3": { cpu: 1, rssBytes: 1, processes: 1 } } };
    hub.resourcesSampled();
    hub.sessionsChanged();
    panes.addPane("%4", "beta");
    hub.flush();
    for (const s of fanout.sends) expect(s.ids.includes("lim") && s.ids.length > 1).toBe(false);
    const lim = JSON.stringify(fanout.to("lim"));
    expect(lim).toContain("alpha line");
    for (const secret of ["beta", "%3", "%4"]) expect(lim).not.toContain(secret);
    const all = JSON.stringify(fanout.to("all"));
    for (const seen of ["beta secret", "%4"]) expect(all).toContain(seen);
  });

  it("answers a subscription's replay by the same rules as the live events: the filter, and a limited token's sessions", () => {
    const { hub, join } = setup();
    join("all");
    join("lim", alphaOnly);
    const event = (n: number, session: string | null, type: FleetEvent["type"] = "agent.status"): FleetEvent => ({ id: `e1:${n}`, type, timestamp: "t", schema: 1, session, window: 0, windowId: null, pane: null, data: {} });
    const replay = [event(1, "alpha"), event(2, "beta"), event(3, null, "node.offline"), event(4, "alpha", "pane.added")];
    const ids = (es: FleetEvent[]) => es.map((e) => e.id);
    expect(ids(hub.subscribeEvents("all", {}, "e1:4", replay))).toEqual(["e1:1", "e1:2", "e1:3", "e1:4"]);
    expect(ids(hub.subscribeEvents("lim", {}, "e1:4", replay))).toEqual(["e1:1", "e1:3", "e1:4"]);
    expect(ids(hub.subscribeEvents("lim", { types: ["agent.status"] }, "e1:4", replay))).toEqual(["e1:1"]);
  });

  it("sends events after the ones the subscription answer held, and says when a client missed some", () => {
    const { fanout, hub, join } = setup();
    const c = join("c");
    const event = (n: number): FleetEvent => ({ id: `e1:${n}`, type: "pane.added", timestamp: "t", schema: 1, session: "alpha", window: 0, windowId: null, pane: null, data: {} });
    hub.publishEvent(event(1));
    hub.publishEvent(event(2));
    hub.subscribeEvents("c", {}, "e1:1");
    hub.publishEvent(event(3));
    hub.flush();
    expect(fanout.to("c").flatMap((b) => b.events ?? []).map((e) => e.id)).toEqual(["e1:2", "e1:3"]);
    fanout.sends = [];
    c.port.backlog = 10;
    hub.publishEvent(event(4));
    hub.flush();
    c.port.drain();
    hub.flush();
    expect(fanout.to("c")).toEqual([{ eventsMissed: { since: "e1:3" } }]);
  });

  it("sends a document's changes to the clients that subscribed to it, the latest when one was behind", () => {
    const { fanout, hub, join } = setup();
    const reader = join("reader");
    join("other");
    hub.subscribeDoc("reader", "dashboard");
    hub.flush(); // the first batches: the sessions push
    fanout.sends = [];
    reader.port.backlog = 10;
    const doc = (size: number) => ({ kind: "markdown" as const, name: "dashboard", path: "/d.md", doc: { state: "too-large" as const, size, limit: 1 } });
    hub.publishDoc(doc(1));
    hub.flush();
    hub.publishDoc(doc(2));
    hub.flush();
    reader.port.drain();
    hub.flush();
    expect(fanout.to("reader")).toEqual([{ docs: [doc(2)] }]);
    expect(fanout.to("other")).toEqual([]);
  });

  it("tells clients that held a pane it is gone, and the tmux state to every client", () => {
    const { panes, fanout, hub, join } = setup();
    join("a");
    hub.flush();
    fanout.sends = [];
    panes.emit("removed", "%2");
    panes.state = "down";
    panes.emit("state", "down");
    hub.flush();
    expect(fanout.to("a")).toEqual([{ tmux: "down", removed: ["%2"] }]);
  });
});
