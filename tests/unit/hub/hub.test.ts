import { EventEmitter } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { FleetMirror } from "../../../lib/client/mirror.ts";
import { Hub, type ClientPort, type Fanout, type PaneSource, type TopicSource, type View } from "../../../lib/hub/hub.ts";
import type { PaneSourceEvents } from "../../../lib/hub/ports.ts";
import { diffFrames } from "../../../lib/panes/diff.ts";
import { frameHash } from "../../../lib/panes/hash.ts";
import type { AgentStatus, Batch, FleetEvent, NeedsYouItem, NeedsYouPayload, PaneInfo, PaneUpdate, ResourcesPayload, SessionsPayload, TmuxState, Topology } from "../../../lib/protocol.ts";

/** The tracker's side of the hub: panes in sessions, frames with seqs, the four events. */
class FakePanes extends EventEmitter<PaneSourceEvents> implements PaneSource {
  topology: Topology = { sessions: [] };
  state: TmuxState = "up";
  private seq = 0;
  private readonly frames = new Map<string, { lines: string[]; seq: number }>();

  addPane(id: string, session: string): void {
    const info: PaneInfo = { id, index: 0, sessionId: `$${session}`, sessionName: session, windowId: `@${session}`, windowIndex: 0, title: "", command: "sh", agentType: "shell", agentId: null, width: 80, height: 5, active: true, dead: false, pid: null, cwd: "/", options: {} };
    const s = this.topology.sessions.find((x) => x.name === session);
    if (s) s.windows[0]!.panes.push(info);
    else this.topology.sessions.push({ id: `$${session}`, name: session, attached: 0, windows: [{ id: `@${session}`, index: 0, name: "w", active: true, panes: [info] }] });
    this.topology = { sessions: [...this.topology.sessions] };
    this.frames.set(id, { lines: [`${id} start`], seq: ++this.seq });
    this.emit("topology", this.topology);
  }

  print(id: string, line: string): PaneUpdate {
    const f = this.frames.get(id)!;
    const lines = [...f.lines, line].slice(-5);
    const u: PaneUpdate = { pane: id, seq: ++this.seq, base: f.seq, delta: diffFrames(f.lines, lines), hash: frameHash(lines), width: 80, height: 5 };
    if (u.delta.kind === "full") u.base = 0;
    this.frames.set(id, { lines, seq: u.seq });
    this.emit("update", u);
    return u;
  }

  lines(id: string): string[] {
    return this.frames.get(id)!.lines;
  }

  fullUpdate(id: string): PaneUpdate | null {
    const f = this.frames.get(id);
    return f ? { pane: id, seq: f.seq, base: 0, delta: { kind: "full", lines: f.lines }, hash: frameHash(f.lines), width: 80, height: 5 } : null;
  }
}

class FakeTopics implements TopicSource {
  constructor(private readonly panes: FakePanes) {}
  latest: ResourcesPayload | null = null;
  sessions(visible: ((s: string) => boolean) | null): SessionsPayload {
    return { type: "sessions", sessions: this.panes.topology.sessions.filter((s) => !visible || visible(s.name)), status: {}, git: {} };
  }
  resources(): ResourcesPayload | null {
    return this.latest;
  }
  open: NeedsYouItem[] = [];
  needsYou(visible: ((s: string) => boolean) | null): NeedsYouPayload {
    return { open: this.open.filter((i) => !visible || visible(i.session)), resolved: [] };
  }
}

function item(pane: string, session: string, line: string): NeedsYouItem {
  return { id: `id-${pane}-${line}`, pane, session, window: 0, state: "waiting-for-input", agentType: "shell", agentId: null, since: "2026-12-02T00:00:00.000Z", line, choices: [], promptHash: null };
}

class FakeClient implements ClientPort {
  backlog = 0;
  private drains: Array<() => void> = [];
  constructor(readonly id: string) {}
  buffered(): number {
    return this.backlog;
  }
  onDrain(cb: () => void): void {
    this.drains.push(cb);
  }
  drain(): void {
    this.backlog = 0;
    for (const cb of this.drains) cb();
  }
}

/** Records every send: which clients, which batch (one encoding each). */
class RecordingFanout implements Fanout {
  sends: Array<{ ids: string[]; batch: Batch }> = [];
  send(ids: readonly string[], batch: Batch): void {
    this.sends.push({ ids: [...ids], batch: structuredClone(batch) });
  }
  to(id: string): Batch[] {
    return this.sends.filter((s) => s.ids.includes(id)).map((s) => s.batch);
  }
}

const hubs: Hub[] = [];
afterEach(() => {
  for (const h of hubs.splice(0)) h.stop();
});

function setup() {
  const panes = new FakePanes();
  panes.addPane("%1", "alpha");
  panes.addPane("%2", "alpha");
  panes.addPane("%3", "beta");
  const topics = new FakeTopics(panes);
  const fanout = new RecordingFanout();
  const hub = new Hub(panes, topics, fanout, { maxBufferedPackets: 4, replayPerPane: 8, frameMs: 16, epoch: "e1" });
  hubs.push(hub);
  const join = (id: string, view: View = null, filter?: { sessions: string[] }) => {
    const port = new FakeClient(id);
    hub.addClient(port, view);
    const mirror = new FleetMirror();
    mirror.hello({ epoch: "e1" } as Parameters<FleetMirror["hello"]>[0]);
    mirror.subscribed(hub.subscribe(id, filter ? { filter } : {}));
    return { port, mirror };
  };
  hub.flush(); // nothing due for anyone yet
  fanout.sends = [];
  return { panes, topics, fanout, hub, join };
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
