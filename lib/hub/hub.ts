import type { PaneUpdate, ServerToClientEvents, SessionInfo, SubscribeRequest, SubscribeResult, Topology } from "../protocol.ts";
import type { PaneTracker } from "../panes/tracker.ts";
import { allPanes } from "../topology.ts";
import { fullFrameCost } from "../panes/diff.ts";
import { ReplayRing } from "./replay-ring.ts";
import { ALL_ROOM, meets, roomsOfFilter, roomsOfPane, visibleTopology } from "./rooms.ts";

type Event = keyof ServerToClientEvents;
type Payload<E extends Event> = Parameters<ServerToClientEvents[E]>[0];

/** One connected client as the hub sees it; lib/realtime adapts a Socket.IO socket to it. */
export interface ClientPort {
  readonly id: string;
  send<E extends Event>(event: E, payload: Payload<E>): void;
  join(rooms: string[]): void;
  leave(rooms: string[]): void;
  /** Packets written for this client and not yet taken by its connection. */
  buffered(): number;
  onDrain(cb: () => void): void;
}

/** Sends one event to every client in any of `rooms`, except `except`, encoding it once. */
export interface Fanout {
  emit<E extends Event>(rooms: string[], except: string[], event: E, payload: Payload<E>): void;
}

export interface HubOptions {
  /** A client with more packets than this waiting is skipped until it drains; it then gets the current frame. */
  maxBufferedPackets: number;
  replayPerPane: number;
  epoch: string;
}

/** Which sessions a client may see; null: all of them. */
export type SessionFilter = ((sessionName: string) => boolean) | null;

interface ClientState {
  port: ClientPort;
  /**
   * A client limited to some sessions joins no broadcast room: it is sent only what it may see, one
   * by one, so no session outside its limit can reach it by a room it shares with others.
   */
  visible: SessionFilter;
  rooms: Set<string>;
  subscribed: boolean;
  /** The seq of the last state of each pane this client was sent. */
  sent: Map<string, number>;
  /** Panes whose updates this client missed while it was behind. */
  stale: Set<string>;
  /** It missed a topology change while it was behind: it gets the current one when it drains. */
  topologyStale: boolean;
}

/**
 * The one shared fan-out: whatever the number of clients, the tracker's loop runs once and each update
 * is encoded once for all the clients that receive it. A client that cannot keep up never makes the
 * server hold more than `maxBufferedPackets` for it: it is skipped, its missed panes are remembered (a
 * set bounded by the pane count), and when it drains it receives their current state, latest wins.
 */
export class Hub {
  private readonly tracker: PaneTracker;
  private readonly fanout: Fanout;
  private readonly opts: HubOptions;
  private readonly clients = new Map<string, ClientState>();
  private readonly ring: ReplayRing;
  private paneRooms = new Map<string, string[]>();
  private paneSession = new Map<string, string>();
  readonly stats = { updates: 0, skipped: 0, catchUps: 0, maxBufferedSeen: 0 };

  constructor(tracker: PaneTracker, fanout: Fanout, opts: HubOptions) {
    this.tracker = tracker;
    this.fanout = fanout;
    this.opts = opts;
    this.ring = new ReplayRing(opts.replayPerPane);
    this.indexTopology(tracker.topology);
    tracker.on("update", (u) => this.onUpdate(u));
    tracker.on("removed", (pane) => this.onRemoved(pane));
    tracker.on("topology", (t) => this.onTopology(t));
    tracker.on("state", (state) => this.broadcastState(state));
  }

  get clientCount(): number {
    return this.clients.size;
  }

  addClient(port: ClientPort, visible: SessionFilter = null): void {
    const state: ClientState = { port, visible, rooms: new Set(), subscribed: false, sent: new Map(), stale: new Set(), topologyStale: false };
    this.clients.set(port.id, state);
    port.onDrain(() => this.catchUp(state));
  }

  removeClient(id: string): void {
    this.clients.delete(id);
  }

  /** Joins the filter's rooms and returns what the client lacks: deltas since what it holds, else full frames. */
  subscribe(id: string, req: SubscribeRequest): SubscribeResult {
    const c = this.clients.get(id);
    if (!c) throw new Error("unknown client");
    const rooms = roomsOfFilter(req.filter);
    c.port.leave([...c.rooms]);
    c.rooms = new Set(rooms);
    if (!c.visible) c.port.join(rooms);
    c.subscribed = true;
    c.sent.clear();
    c.stale.clear();
    c.topologyStale = false;
    const have = req.have && req.have.epoch === this.opts.epoch ? req.have.seqs : {};
    const topology = this.topologyOf(c);
    const updates: PaneUpdate[] = [];
    for (const p of allPanes(topology)) updates.push(...this.missing(c, p.id, have[p.id]));
    return { topology, updates };
  }

  /** A pane's current frame, in full; the client's record moves to it. */
  resync(id: string, pane: string): PaneUpdate | null {
    const c = this.clients.get(id);
    const u = this.tracker.fullUpdate(pane);
    if (!c || !u || !this.wants(c, pane)) return null;
    c.sent.set(pane, u.seq);
    c.stale.delete(pane);
    return u;
  }

  /** Whether this client may see this pane (its limit allows the session; before subscribing, any pane). */
  canSee(id: string, pane: string): boolean {
    const c = this.clients.get(id);
    if (!c || !this.paneRooms.has(pane) || !this.allowed(c, pane)) return false;
    return !c.subscribed || this.wants(c, pane);
  }

  /** The topology this client may see (before it subscribes: all it is allowed). */
  topologyFor(id: string): Topology {
    const c = this.clients.get(id);
    if (!c) return { sessions: [] };
    return c.subscribed ? this.topologyOf(c) : limitSessions(this.tracker.topology, c.visible);
  }

  private topologyOf(c: ClientState): Topology {
    return limitSessions(visibleTopology(this.tracker.topology, c.rooms), c.visible);
  }

  private allowed(c: ClientState, pane: string): boolean {
    if (!c.visible) return true;
    const session = this.paneSession.get(pane);
    return session !== undefined && c.visible(session);
  }

  /** Subscribed to this pane, and allowed to see it. */
  private wants(c: ClientState, pane: string): boolean {
    const rooms = this.paneRooms.get(pane);
    return !!rooms && meets(c.rooms, rooms) && this.allowed(c, pane);
  }

  /** Whether a client is over its bound: anything sent to it now must be skipped (and made up on drain). */
  congested(id: string): boolean {
    const c = this.clients.get(id);
    return !!c && c.port.buffered() >= this.opts.maxBufferedPackets;
  }

  private missing(c: ClientState, pane: string, heldSeq: number | undefined): PaneUpdate[] {
    const current = this.tracker.fullUpdate(pane);
    if (!current) return [];
    c.sent.set(pane, current.seq);
    if (heldSeq === current.seq) return [];
    if (heldSeq !== undefined) {
      const full = current.delta.kind === "full" ? fullFrameCost(current.delta.lines) : Infinity;
      const chain = this.ring.since(pane, heldSeq, full);
      if (chain) return chain;
    }
    return [current];
  }

  private onUpdate(u: PaneUpdate): void {
    this.ring.push(u);
    this.stats.updates++;
    const rooms = this.paneRooms.get(u.pane);
    if (!rooms) return;
    const except: string[] = [];
    const direct: ClientState[] = [];
    for (const c of this.clients.values()) {
      if (!c.subscribed || !this.wants(c, u.pane)) continue;
      const buffered = c.port.buffered();
      if (buffered > this.stats.maxBufferedSeen) this.stats.maxBufferedSeen = buffered;
      if (c.stale.size > 0 || (c.sent.get(u.pane) ?? 0) !== u.base || buffered >= this.opts.maxBufferedPackets) {
        except.push(c.port.id);
        c.stale.add(u.pane);
        this.stats.skipped++;
        continue;
      }
      c.sent.set(u.pane, u.seq);
      if (c.visible) direct.push(c);
    }
    this.fanout.emit(rooms, except, "pane:updated", u);
    for (const c of direct) c.port.send("pane:updated", u);
    // A client behind only because its record was stale (not because it is slow) catches up at once.
    for (const id of except) {
      const c = this.clients.get(id);
      if (c && c.port.buffered() < this.opts.maxBufferedPackets) this.catchUp(c);
    }
  }

  /** Sends a client the current state of the panes it missed, while it has room. */
  private catchUp(c: ClientState): void {
    if (!this.clients.has(c.port.id)) return;
    if (c.topologyStale && c.port.buffered() < this.opts.maxBufferedPackets) {
      c.topologyStale = false;
      c.port.send("topology:updated", { topology: this.topologyOf(c) });
    }
    for (const pane of c.stale) {
      if (c.port.buffered() >= this.opts.maxBufferedPackets) return;
      c.stale.delete(pane);
      if (!this.wants(c, pane)) continue;
      for (const u of this.missing(c, pane, c.sent.get(pane))) c.port.send("pane:updated", u);
      this.stats.catchUps++;
    }
  }

  private onRemoved(pane: string): void {
    const rooms = this.paneRooms.get(pane) ?? [ALL_ROOM, `p:${pane}`];
    this.ring.drop(pane);
    for (const c of this.clients.values()) {
      if (c.visible && c.sent.has(pane)) c.port.send("pane:removed", { pane });
      c.sent.delete(pane);
      c.stale.delete(pane);
    }
    this.paneRooms.delete(pane);
    this.paneSession.delete(pane);
    this.fanout.emit(rooms, [], "pane:removed", { pane });
  }

  /** To everyone: room members by broadcast, clients limited to some sessions one by one. */
  broadcastState(state: "up" | "down"): void {
    this.fanout.emit([ALL_ROOM], [], "tmux:state", { state });
    for (const c of this.clients.values()) if (c.visible || !c.rooms.has(ALL_ROOM)) c.port.send("tmux:state", { state });
  }

  /** Topology to every subscribed client; a client that is behind gets the latest one when it drains. */
  private onTopology(t: Topology): void {
    this.indexTopology(t);
    const except: string[] = [];
    for (const c of this.clients.values()) {
      if (!c.subscribed) continue;
      const everything = c.rooms.has(ALL_ROOM) && !c.visible;
      if (!everything) except.push(c.port.id);
      if (c.port.buffered() >= this.opts.maxBufferedPackets) {
        if (everything) except.push(c.port.id);
        c.topologyStale = true;
        continue;
      }
      if (!everything) c.port.send("topology:updated", { topology: this.topologyOf(c) });
    }
    this.fanout.emit([ALL_ROOM], except, "topology:updated", { topology: t });
  }

  private indexTopology(t: Topology): void {
    const next = new Map<string, string[]>();
    const sessions = new Map<string, string>();
    for (const p of allPanes(t)) {
      next.set(p.id, roomsOfPane(p));
      sessions.set(p.id, p.sessionName);
    }
    this.paneRooms = next;
    this.paneSession = sessions;
  }
}

function limitSessions(t: Topology, visible: SessionFilter): Topology {
  if (!visible) return t;
  return { sessions: t.sessions.filter((s: SessionInfo) => visible(s.name)) };
}
