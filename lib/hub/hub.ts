import { matches, type EventFilter } from "../events/event-log.ts";
import type { AgentStatus, Batch, DocPayload, FleetEvent, PaneAlert, PaneUpdate, SubscribeRequest, SubscribeResult, TmuxState, Topology } from "../protocol.ts";
import { log } from "../log.ts";
import { allPanes } from "../topology.ts";
import { ackUpTo, markSkipped, windowFull } from "./backpressure.ts";
import { planBatch, type PlanContext } from "./batch-plan.ts";
import { missing } from "./catch-up.ts";
import { followEvents, forgetPane, hasPending, newClientState, resubscribe, type ClientState } from "./client-state.ts";
import { batchSent, DeferredWake, paced, setFarPanes } from "./far.ts";
import { FrameClock } from "./frame-clock.ts";
import { HubClients } from "./clients.ts";
import type { PaneIndex } from "./pane-index.ts";
import { planContext, topologyOf } from "./plan-context.ts";
import type { ClientPort, Fanout, HubOptions, PaneSource, TopicSource, View } from "./ports.ts";
import { ReplayRing } from "./replay-ring.ts";
import { roomsOfFilter } from "./rooms.ts";
import { Tick } from "./tick.ts";
import { limitSessions } from "./views.ts";

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
  private readonly fanout: Fanout;
  private readonly opts: HubOptions;
  private readonly clients: HubClients;
  private readonly ring: ReplayRing;
  private readonly latestDocs = new Map<string, DocPayload>();
  private readonly index: PaneIndex;
  private tick = new Tick();
  private readonly clock: FrameClock;
  private readonly deferredWake = new DeferredWake(() => this.clock.due());
  private readonly ctx: PlanContext;
  readonly stats = { updates: 0, skipped: 0, catchUps: 0, maxBufferedSeen: 0, ticks: 0, batches: 0, deliveries: 0 };

  /** `clients`: made before the hub when something built earlier asks who watches (lib/app.ts). */
  constructor(panes: PaneSource, topics: TopicSource, fanout: Fanout, opts: HubOptions, clients = new HubClients()) {
    this.clients = clients;
    this.index = clients.index;
    this.panes = panes;
    this.fanout = fanout;
    this.opts = opts;
    this.clock = new FrameClock(opts.frameMs, () => this.flush());
    this.ring = new ReplayRing(opts.replayPerPane);
    this.index.index(panes.topology);
    this.ctx = planContext({
      panes,
      topics,
      index: this.index,
      ring: this.ring,
      docs: this.latestDocs,
      farIntervalMs: opts.farIntervalMs,
      onCatchUp: () => this.stats.catchUps++,
    });
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
      if (hasPending(c)) this.clock.due();
    });
    this.clock.due();
  }

  removeClient(id: string): void {
    this.clients.delete(id);
  }

  /** Takes the filter and returns what the client lacks: deltas since what it holds, else full frames. */
  subscribe(id: string, req: SubscribeRequest): SubscribeResult {
    const c = this.client(id);
    resubscribe(c, roomsOfFilter(req.filter));
    const have = req.have && req.have.epoch === this.opts.epoch ? req.have.seqs : {};
    const topology = topologyOf(this.panes, c);
    const updates: PaneUpdate[] = [];
    for (const p of allPanes(topology)) updates.push(...missing(this.panes, this.ring, c, p.id, have[p.id]));
    return { topology, updates };
  }

  /**
   * The panes a client shows off screen: their changes reach it at most every `farIntervalMs`. A pane
   * that comes back on screen gets what it missed at the next tick.
   */
  setFar(id: string, panes: readonly string[], frameMs = 0): void {
    const c = this.clients.get(id);
    if (!c) return;
    setFarPanes(c, panes, this.opts.farIntervalMs);
    c.frameMs = frameMs;
    if (hasPending(c)) this.clock.due();
  }

  /** The panes a client shows in its focused view: someone watches them closely (HubClients.focused). */
  setFocus(id: string, panes: readonly string[]): void {
    this.clients.setFocus(id, panes);
  }

  /** A pane's current frame, in full; the client's record moves to it. */
  resync(id: string, pane: string): PaneUpdate | null {
    const c = this.clients.get(id);
    const u = this.panes.fullUpdate(pane);
    if (!c || !u || !this.index.wants(c, pane)) return null;
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
    const wasFull = windowFull(c, this.opts.maxUnackedBatches);
    ackUpTo(c, n);
    if (wasFull && hasPending(c)) this.clock.due();
  }

  /** Whether this client may see this pane (its limit allows the session; before subscribing, any pane). */
  canSee(id: string, pane: string): boolean {
    return this.clients.canSee(id, pane);
  }

  /** The topology this client may see (before it subscribes: all it is allowed). */
  topologyFor(id: string): Topology {
    const c = this.clients.get(id);
    if (!c) return { sessions: [] };
    return c.subscribed ? topologyOf(this.panes, c) : limitSessions(this.panes.topology, c.view);
  }

  /**
   * The event stream for this client from now on (`after`: the last event it was handed already);
   * returns what of `replay` (the events before) it may see, by the same rules as the live ones.
   */
  subscribeEvents(id: string, filter: EventFilter, after: string | null, replay: readonly FleetEvent[] = []): FleetEvent[] {
    const c = this.client(id);
    followEvents(c, filter, after);
    return replay.filter((e) => matches(e, filter) && this.ctx.seesSession(c, e.session));
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
    this.clock.due();
  }

  publishAlert(a: PaneAlert): void {
    this.tick.addAlert(a);
    this.clock.due();
  }

  publishEvent(e: FleetEvent): void {
    this.tick.addEvent(e);
    this.clock.due();
  }

  publishDoc(p: DocPayload): void {
    this.latestDocs.set(p.name, p);
    this.tick.docs.add(p.name);
    this.clock.due();
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
    this.clock.stop();
    this.deferredWake.stop();
  }

  private client(id: string): ClientState {
    const c = this.clients.get(id);
    if (!c) throw new Error("unknown client");
    return c;
  }

  private forEach(fn: (c: ClientState) => void): void {
    for (const c of this.clients.values()) fn(c);
    this.clock.due();
  }

  /** One frame tick: one batch per client at most, each distinct batch encoded once. */
  flush(): void {
    const now = this.clock.flushing();
    const tick = this.tick;
    this.tick = new Tick();
    this.stats.ticks++;
    const groups = new Map<string, { ids: string[]; batch: Batch }>();
    for (const c of this.clients.values()) {
      const buffered = c.port.buffered();
      if (buffered > this.stats.maxBufferedSeen) this.stats.maxBufferedSeen = buffered;
      if (buffered >= this.opts.maxBufferedPackets || windowFull(c, this.opts.maxUnackedBatches)) {
        this.skip(c, tick);
        continue;
      }
      // A state, alert or event goes at once; screens wait for the client's next frame.
      if (tick.onlyScreens && paced(c, now)) {
        markSkipped(c, tick, (pane) => this.index.wants(c, pane));
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
      batchSent(c, now);
      const group = groups.get(planned.signature);
      if (group) group.ids.push(c.port.id);
      else groups.set(planned.signature, { ids: [c.port.id], batch: planned.batch });
    }
    this.deferredWake.schedule(this.clients.values(), this.opts.farIntervalMs);
    const n = this.stats.ticks;
    for (const g of groups.values()) {
      g.batch.n = n;
      for (const id of g.ids) this.clients.get(id)!.unacked?.push(n);
      this.fanout.send(g.ids, g.batch);
      this.stats.batches++;
      this.stats.deliveries += g.ids.length;
    }
  }

  /** A client over its bound gets nothing this tick; it keeps one mark per pane and per topic. */
  private skip(c: ClientState, tick: Tick): void {
    if (tick.empty) return;
    this.stats.skipped++;
    markSkipped(c, tick, (pane) => this.index.wants(c, pane));
  }

  private onUpdate(u: PaneUpdate): void {
    this.ring.push(u);
    this.stats.updates++;
    this.tick.addUpdate(u);
    this.clock.due();
  }

  private onRemoved(pane: string): void {
    this.ring.drop(pane);
    for (const c of this.clients.values()) forgetPane(c, pane);
    this.clients.dropFocus(pane);
    this.index.drop(pane);
    this.clock.due();
  }

  private onTopology(t: Topology): void {
    this.index.index(t);
    this.forEach((c) => {
      if (c.subscribed) c.topology = true;
    });
  }
}
