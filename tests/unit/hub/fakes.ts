import { EventEmitter } from "node:events";
import { FleetMirror } from "../../../lib/client/mirror.ts";
import { Hub, type ClientPort, type Fanout, type PaneSource, type TopicSource, type View } from "../../../lib/hub/hub.ts";
import type { HubOptions, PaneSourceEvents } from "../../../lib/hub/ports.ts";
import { diffFrames } from "../../../lib/panes/diff.ts";
import { frameHash } from "../../../lib/panes/hash.ts";
import type { Batch, NeedsYouItem, NeedsYouPayload, PaneInfo, PaneUpdate, ResourcesPayload, SessionsPayload, TmuxState, Topology } from "../../../lib/protocol.ts";

// The hub's ports, faked: a tracker, topics, clients whose backlog a test sets, and a fan-out that
// records every send.

/** The tracker's side of the hub: panes in sessions, frames with seqs, the four events. */
export class FakePanes extends EventEmitter<PaneSourceEvents> implements PaneSource {
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

export class FakeTopics implements TopicSource {
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

export class FakeClient implements ClientPort {
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
export class RecordingFanout implements Fanout {
  /** Each send's batch without its number, which `n` holds. */
  sends: Array<{ ids: string[]; batch: Batch; n: number | undefined }> = [];
  send(ids: readonly string[], batch: Batch): void {
    const { n, ...rest } = batch;
    this.sends.push({ ids: [...ids], batch: structuredClone(rest), n });
  }
  to(id: string): Batch[] {
    return this.sends.filter((s) => s.ids.includes(id)).map((s) => s.batch);
  }
}

const hubs: Hub[] = [];
/** Stops every hub `setup` made (their timers); for afterEach. */
export function stopHubs(): void {
  for (const h of hubs.splice(0)) h.stop();
}

export function setup(extra: Partial<HubOptions> = {}) {
  const panes = new FakePanes();
  panes.addPane("%1", "alpha");
  panes.addPane("%2", "alpha");
  panes.addPane("%3", "beta");
  const topics = new FakeTopics(panes);
  const fanout = new RecordingFanout();
  const hub = new Hub(panes, topics, fanout, { maxBufferedPackets: 4, maxUnackedBatches: 3, replayPerPane: 8, frameMs: 16, epoch: "e1", ...extra });
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

