import type { EventFilter } from "../events/event-log.ts";
import { fullFrameCost } from "../panes/diff.ts";
import type { AgentStatus, Batch, DocPayload, FleetEvent, PaneAlert, PaneUpdate, SubscribeRequest, SubscribeResult, TmuxState, Topology } from "../protocol.ts";
import { log } from "../log.ts";
import { allPanes } from "../topology.ts";
import { planBatch, type PlanContext } from "./batch-plan.ts";
import { eventNumber, hasPending, newClientState, type ClientState } from "./client-state.ts";
import { composeUpdates } from "./compose.ts";
import type { ClientPort, Fanout, HubOptions, PaneSource, TopicSource, View } from "./ports.ts";
import { ReplayRing } from "./replay-ring.ts";
import { meets, roomsOfFilter, roomsOfPane, visibleTopology } from "./rooms.ts";
import { Tick } from "./tick.ts";
import { limitResources, limitSessions } from "./views.ts";

export type { ClientPort, Fanout, HubOptions, PaneSource, TopicSource, View } from "./ports.ts";

/**
 * The one fan-out path. Pane updates, topology, tmux state, sessions, agent status, alerts,
 * resources, events and documents all enter here; at each frame tick every client is sent at most one
 * message (a `batch`) with whatever is due for it. Clients whose batches are identical (same view,
 * same filter, in step) share one encoding. A client that cannot keep up is skipped: what it missed
 * is remembered per pane and per topic (bounded sets and flags, never a queue) and it receives the
 * current state once it drains, latest wins.
 */
export class Hub {
  private readonly panes: PaneSource;
  private readonly topics: TopicSource;
  private readonly fanout: Fanout;
  private readonly opts: HubOptions;
  private readonly clients = new Map<string, ClientState>();
  private readonly ring: ReplayRing;
  private readonly latestDocs = new Map<string, DocPayload>();
  private paneRooms = new Map<string, string[]>();
  private paneSession = new Map<string, string>();
  private tick = new Tick();
  private timer: NodeJS.Timeout | null = null;
  private deferredTimer: NodeJS.Timeout | null = null;
  private lastFlush = -Infinity;
  private stopped = false;
  private readonly ctx: PlanContext;
  readonly stats = { updates: 0, skipped: 0, catchUps: 0, maxBufferedSeen: 0, ticks: 0, batches: 0, deliveries: 0 };

  constructor(panes: PaneSource, topics: TopicSource, fanout: Fanout, opts: HubOptions) {
    this.panes = panes;
    this.topics = topics;
    this.fanout = fanout;
    this.opts = opts;
    this.ring = new ReplayRing(opts.replayPerPane);
    this.indexTopology(panes.topology);
    this.ctx = {
      tmuxState: () => this.panes.state,
      wants: (c, pane) => this.wants(c, pane),
      updateFor: (tick, pane, from) => this.updateFor(tick, pane, from),
      topologyOf: (c) => this.topologyOf(c),
      sessions: (c) => this.topics.sessions(c.view ? (s) => c.view!.sees(s) : null),
      resources: (c) => {
        const r = this.topics.resources();
        return r && limitResources(r, c.view, (pane) => this.paneSession.get(pane));
      },
      needsYou: (c) => this.topics.needsYou(c.view ? (s) => c.view!.sees(s) : null),
      seesSession: (c, session) => session === null || !c.view || c.view.sees(session),
      sessionOf: (pane) => this.paneSession.get(pane) ?? null,
      doc: (name) => this.latestDocs.get(name),
      onCatchUp: () => this.stats.catchUps++,
      farDue: (c) => {
        const now = performance.now();
        if (now < c.farDueAt) return false;
        c.farDueAt = now + (this.opts.farIntervalMs ?? 0);
        return true;
      },
    };
    panes.on("update", (u) => this.onUpdate(u));
    panes.on("removed", (pane) => this.onRemoved(pane));
    panes.on("topology", (t) => this.onTopology(t));
    panes.on("state", () => this.forEach((c) => (c.tmux = true)));
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** The pane source's tmux state (a web-only cluster node has none of its own: "up"). */
  get tmuxState(): TmuxState {
    return this.panes.state;
  }

  addClient(port: ClientPort, view: View = null): void {
    const c = newClientState(port, view);
    this.clients.set(port.id, c);
    // Only a client that was skipped has something waiting when it drains.
    port.onDrain(() => {
      if (hasPending(c)) this.due();
    });
    this.due();
  }

  removeClient(id: string): void {
    this.clients.delete(id);
  }

  /** Takes the filter and returns what the client lacks: deltas since what it holds, else full frames. */
  subscribe(id: string, req: SubscribeRequest): SubscribeResult {
    const c = this.client(id);
    c.rooms = new Set(roomsOfFilter(req.filter));
    c.roomsKey = [...c.rooms].sort().join(",");
    c.subscribed = true;
    c.sent.clear();
    c.stale.clear();
    c.deferred.clear();
    c.removed.clear();
    c.topology = false;
    const have = req.have && req.have.epoch === this.opts.epoch ? req.have.seqs : {};
    const topology = this.topologyOf(c);
    const updates: PaneUpdate[] = [];
    for (const p of allPanes(topology)) updates.push(...this.missing(c, p.id, have[p.id]));
    return { topology, updates };
  }

  /**
   * The panes a client shows off screen: their changes reach it at most every `farIntervalMs`. A pane
   * that comes back on screen gets what it missed at the next tick.
   */
  setFar(id: string, panes: readonly string[]): void {
    const c = this.clients.get(id);
    if (!c) return;
    c.far = this.opts.farIntervalMs ? new Set(panes) : new Set();
    for (const pane of c.deferred) {
      if (c.far.has(pane)) continue;
      c.deferred.delete(pane);
      c.stale.add(pane);
    }
    if (hasPending(c)) this.due();
  }

  /** A pane's current frame, in full; the client's record moves to it. */
  resync(id: string, pane: string): PaneUpdate | null {
    const c = this.clients.get(id);
    const u = this.panes.fullUpdate(pane);
    if (!c || !u || !this.wants(c, pane)) return null;
    c.sent.set(pane, u.seq);
    c.stale.delete(pane);
    return u;
  }

  /**
   * What the hub holds for a client: the seq of each pane it was last sent, and whether anything is
   * marked due for it (missed while behind, or not yet sent), and whether it acknowledges batches
   * (flow control). Null for an unknown client.
   */
  deliveryOf(id: string): { sent: Record<string, number>; pending: boolean; acknowledges: boolean } | null {
    const c = this.clients.get(id);
    return c ? { sent: Object.fromEntries(c.sent), pending: hasPending(c), acknowledges: c.unacked !== null } : null;
  }

  /**
   * The client applied every batch up to number `n`. Its first acknowledgement turns flow control on
   * for it; one that frees its full window sends it what it missed, at the next tick.
   */
  acked(id: string, n: number): void {
    const c = this.clients.get(id);
    if (!c) return;
    const wasFull = this.windowFull(c);
    const list = (c.unacked ??= []);
    let drop = 0;
    while (drop < list.length && list[drop]! <= n) drop++;
    if (drop > 0) list.splice(0, drop);
    if (wasFull && hasPending(c)) this.due();
  }

  /** Whether this client may see this pane (its limit allows the session; before subscribing, any pane). */
  canSee(id: string, pane: string): boolean {
    const c = this.clients.get(id);
    if (!c || !this.paneRooms.has(pane) || !this.allowed(c, pane)) return false;
    return !c.subscribed || this.wants(c, pane);
  }

  /** Whether some connected client may see this pane (and, once subscribed, follows it). */
  seenByAny(pane: string): boolean {
    for (const id of this.clients.keys()) if (this.canSee(id, pane)) return true;
    return false;
  }

  /** The topology this client may see (before it subscribes: all it is allowed). */
  topologyFor(id: string): Topology {
    const c = this.clients.get(id);
    if (!c) return { sessions: [] };
    return c.subscribed ? this.topologyOf(c) : limitSessions(this.panes.topology, c.view);
  }

  /** The event stream for this client from now on; `after` is the last event it was handed already. */
  subscribeEvents(id: string, filter: EventFilter, after: string | null): void {
    const c = this.client(id);
    c.events = filter;
    c.eventsKey = JSON.stringify([filter.types ?? [], filter.sessions ?? [], filter.windows ?? []]);
    c.eventsAfter = after ? eventNumber(after) : null;
    c.eventsMissed = false;
    if (after) c.lastEvent = after;
  }

  /** The client's event stream filter; null before `events:subscribe`. */
  eventFilterOf(id: string): EventFilter | null {
    return this.clients.get(id)?.events ?? null;
  }

  /** Changes of this document follow in the client's batches. */
  subscribeDoc(id: string, name: string): void {
    this.client(id).docs.add(name);
  }

  publishStatus(s: AgentStatus): void {
    this.tick.addStatus(s);
    this.due();
  }

  publishAlert(a: PaneAlert): void {
    this.tick.addAlert(a);
    this.due();
  }

  publishEvent(e: FleetEvent): void {
    this.tick.addEvent(e);
    this.due();
  }

  publishDoc(p: DocPayload): void {
    this.latestDocs.set(p.name, p);
    this.tick.docs.add(p.name);
    this.due();
  }

  /** The sessions push changed: every client gets the current one. */
  sessionsChanged(): void {
    this.forEach((c) => (c.sessions = true));
  }

  /** The needs-you queue changed: every client gets the current one. */
  needsYouChanged(): void {
    this.forEach((c) => (c.needsYou = true));
  }

  /** A new resources sample: every client gets the latest. */
  resourcesSampled(): void {
    this.forEach((c) => (c.resources = true));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.deferredTimer) clearTimeout(this.deferredTimer);
    this.timer = null;
    this.deferredTimer = null;
  }

  private client(id: string): ClientState {
    const c = this.clients.get(id);
    if (!c) throw new Error("unknown client");
    return c;
  }

  private forEach(fn: (c: ClientState) => void): void {
    for (const c of this.clients.values()) fn(c);
    this.due();
  }

  /** Something is due: a flush runs at the next tick (at once when the last one is a frame ago). */
  private due(): void {
    if (this.timer || this.stopped) return;
    const wait = Math.max(0, this.lastFlush + this.opts.frameMs - performance.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  /** One frame tick: one batch per client at most, each distinct batch encoded once. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.lastFlush = performance.now();
    const tick = this.tick;
    this.tick = new Tick();
    this.stats.ticks++;
    const groups = new Map<string, { ids: string[]; batch: Batch }>();
    for (const c of this.clients.values()) {
      const buffered = c.port.buffered();
      if (buffered > this.stats.maxBufferedSeen) this.stats.maxBufferedSeen = buffered;
      if (buffered >= this.opts.maxBufferedPackets || this.windowFull(c)) {
        this.skip(c, tick);
        continue;
      }
      let planned: ReturnType<typeof planBatch>;
      try {
        planned = planBatch(c, tick, this.ctx);
      } catch (err) {
        // One client's bad part must not stop the others' batches, nor the server.
        log.error({ err, client: c.port.id }, "planning a batch failed");
        continue;
      }
      if (!planned) continue;
      const group = groups.get(planned.signature);
      if (group) group.ids.push(c.port.id);
      else groups.set(planned.signature, { ids: [c.port.id], batch: planned.batch });
    }
    this.flushDeferredLater();
    const n = this.stats.ticks;
    for (const g of groups.values()) {
      g.batch.n = n;
      for (const id of g.ids) this.clients.get(id)!.unacked?.push(n);
      this.fanout.send(g.ids, g.batch);
      this.stats.batches++;
      this.stats.deliveries += g.ids.length;
    }
  }

  /** Off-screen changes still held: a tick when they are due, even if nothing else happens by then. */
  private flushDeferredLater(): void {
    if (this.deferredTimer || !this.opts.farIntervalMs) return;
    let due = Infinity;
    for (const c of this.clients.values()) if (c.deferred.size > 0) due = Math.min(due, c.farDueAt);
    if (due === Infinity) return;
    this.deferredTimer = setTimeout(() => {
      this.deferredTimer = null;
      this.due();
    }, Math.max(0, due - performance.now()) + 1);
    this.deferredTimer.unref?.();
  }

  private windowFull(c: ClientState): boolean {
    return c.unacked !== null && c.unacked.length >= this.opts.maxUnackedBatches;
  }

  /** A client over its bound gets nothing this tick; it keeps one mark per pane and per topic. */
  private skip(c: ClientState, tick: Tick): void {
    if (tick.empty) return;
    this.stats.skipped++;
    if (c.subscribed) for (const pane of tick.changed) if (this.wants(c, pane)) c.stale.add(pane);
    // Status changes ride in the sessions push too, so the client ends right.
    if (tick.status.size > 0) c.sessions = true;
    if (c.events && (tick.events.length > 0 || tick.eventsOverflow)) c.eventsMissed = true;
    for (const name of tick.docs) if (c.docs.has(name)) c.docsStale.add(name);
  }

  /** The one update that takes a client from `from` to the pane's current state; null: it has it. */
  private updateFor(tick: Tick, pane: string, from: number | undefined): PaneUpdate | null {
    return tick.memo(`u${pane}@${from ?? "-"}`, () => {
      const cur = this.panes.fullUpdate(pane);
      if (!cur || from === cur.seq) return null;
      if (from !== undefined) {
        const full = cur.delta.kind === "full" ? fullFrameCost(cur.delta.lines) : Infinity;
        const chain = this.ring.since(pane, from, full) ?? tick.chainFrom(pane, from);
        if (chain && chain.at(-1)!.seq === cur.seq) return chain.length === 1 ? chain[0]! : composeUpdates(chain);
      }
      return cur;
    });
  }

  private topologyOf(c: ClientState): Topology {
    return limitSessions(visibleTopology(this.panes.topology, c.rooms), c.view);
  }

  private allowed(c: ClientState, pane: string): boolean {
    if (!c.view) return true;
    const session = this.paneSession.get(pane);
    return session !== undefined && c.view.sees(session);
  }

  /** Subscribed to this pane, and allowed to see it. */
  private wants(c: ClientState, pane: string): boolean {
    const rooms = this.paneRooms.get(pane);
    return c.subscribed && !!rooms && meets(c.rooms, rooms) && this.allowed(c, pane);
  }

  private missing(c: ClientState, pane: string, heldSeq: number | undefined): PaneUpdate[] {
    const current = this.panes.fullUpdate(pane);
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
    this.tick.addUpdate(u);
    this.due();
  }

  private onRemoved(pane: string): void {
    this.ring.drop(pane);
    for (const c of this.clients.values()) {
      if (c.sent.delete(pane)) c.removed.add(pane);
      c.stale.delete(pane);
      c.deferred.delete(pane);
      c.far.delete(pane);
    }
    this.paneRooms.delete(pane);
    this.paneSession.delete(pane);
    this.due();
  }

  private onTopology(t: Topology): void {
    this.indexTopology(t);
    this.forEach((c) => {
      if (c.subscribed) c.topology = true;
    });
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
