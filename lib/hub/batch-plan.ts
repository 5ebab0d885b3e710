import { matches } from "../events/event-log.ts";
import type { AgentStatus, Batch, NeedsYouPayload, DocPayload, FleetEvent, PaneAlert, PaneUpdate, ResourcesPayload, SessionsPayload, TmuxState, Topology } from "../protocol.ts";
import { eventNumber, type ClientState } from "./client-state.ts";
import type { Tick } from "./tick.ts";

/** What planning a batch needs from the hub. */
export interface PlanContext {
  tmuxState(): TmuxState;
  wants(c: ClientState, pane: string): boolean;
  updateFor(tick: Tick, pane: string, from: number | undefined): PaneUpdate | null;
  topologyOf(c: ClientState): Topology;
  sessions(c: ClientState): SessionsPayload;
  resources(c: ClientState): ResourcesPayload | null;
  needsYou(c: ClientState): NeedsYouPayload;
  seesSession(c: ClientState, session: string | null): boolean;
  sessionOf(pane: string): string | null;
  doc(name: string): DocPayload | undefined;
  onCatchUp(): void;
  /** Whether the client's off-screen panes are due this tick (and, if so, when they are due next). */
  farDue(c: ClientState): boolean;
}

/**
 * The batch due for one client at this tick, and its signature: clients with equal signatures get
 * equal batches, so the hub encodes it once for all of them. Every part's key names everything its
 * content depends on (the client's view for filtered parts, the pane and held seq for updates);
 * values are memoized per tick under that key. Marks what it plans as sent.
 */
export function planBatch(c: ClientState, tick: Tick, ctx: PlanContext): { signature: string; batch: Batch } | null {
  const keys: string[] = [];
  const batch: Batch = {};
  if (c.tmux) {
    batch.tmux = ctx.tmuxState();
    keys.push(`t${batch.tmux}`);
    c.tmux = false;
  }
  if (c.subscribed) planPanes(c, tick, ctx, keys, batch);
  if (c.sessions) {
    const k = `S|${c.viewKey}`;
    batch.sessions = tick.memo(k, () => ctx.sessions(c));
    keys.push(k);
    c.sessions = false;
  }
  if (tick.status.size > 0) {
    const k = `A|${c.viewKey}`;
    const list = tick.memo(k, () => [...tick.status.values()].filter((s: AgentStatus) => ctx.seesSession(c, ctx.sessionOf(s.pane) ?? "\u0000")));
    if (list.length > 0) {
      batch.status = list;
      keys.push(k);
    }
  }
  if (tick.alerts.length > 0) {
    const k = `L|${c.viewKey}`;
    const list = tick.memo(k, () => tick.alerts.filter((a: PaneAlert) => ctx.seesSession(c, a.session)));
    if (list.length > 0) {
      batch.alerts = list;
      keys.push(k);
    }
  }
  if (c.resources) {
    const k = `P|${c.viewKey}`;
    const r = tick.memo(k, () => ctx.resources(c));
    if (r) {
      batch.resources = r;
      keys.push(k);
    }
    c.resources = false;
  }
  if (c.needsYou) {
    const k = `N|${c.viewKey}`;
    batch.needsYou = tick.memo(k, () => ctx.needsYou(c));
    keys.push(k);
    c.needsYou = false;
  }
  if (c.events) planEvents(c, tick, ctx, keys, batch);
  planDocs(c, tick, ctx, keys, batch);
  if (keys.length === 0) return null;
  return { signature: keys.join("\n"), batch };
}

function planPanes(c: ClientState, tick: Tick, ctx: PlanContext, keys: string[], batch: Batch): void {
  if (c.topology) {
    const k = `T|${c.roomsKey}|${c.viewKey}`;
    batch.topology = tick.memo(k, () => ctx.topologyOf(c));
    keys.push(k);
    c.topology = false;
  }
  if (c.removed.size > 0) {
    batch.removed = [...c.removed];
    keys.push(`R${batch.removed.join(",")}`);
    c.removed.clear();
  }
  const updates: PaneUpdate[] = [];
  const add = (pane: string) => {
    const from = c.sent.get(pane);
    const u = ctx.updateFor(tick, pane, from);
    if (!u) return;
    updates.push(u);
    keys.push(`u${pane}@${from ?? "-"}`);
    c.sent.set(pane, u.seq);
  };
  for (const pane of tick.changed) {
    if (c.stale.has(pane) || !ctx.wants(c, pane)) continue;
    if (c.far.has(pane)) c.deferred.add(pane);
    else add(pane);
  }
  // Off-screen panes: one update each (latest wins), at the lower rate.
  if (c.deferred.size > 0 && ctx.farDue(c)) {
    for (const pane of c.deferred) if (!c.stale.has(pane) && ctx.wants(c, pane)) add(pane);
    c.deferred.clear();
  }
  for (const pane of c.stale) {
    if (!ctx.wants(c, pane)) continue;
    add(pane);
    ctx.onCatchUp();
  }
  c.stale.clear();
  if (updates.length > 0) batch.updates = updates;
}

function planEvents(c: ClientState, tick: Tick, ctx: PlanContext, keys: string[], batch: Batch): void {
  const filter = c.events!;
  if (c.eventsMissed || tick.eventsOverflow) {
    // The client asks for what it missed with `since`; sending this tick's events too would duplicate.
    batch.eventsMissed = { since: c.lastEvent };
    keys.push(`M${c.lastEvent ?? ""}`);
    c.eventsMissed = false;
    return;
  }
  if (tick.events.length === 0) return;
  const after = c.eventsAfter;
  c.eventsAfter = null;
  const k = `E|${c.eventsKey}|${c.viewKey}|${after ?? ""}`;
  const list = tick.memo(k, () => tick.events.filter((e: FleetEvent) => matches(e, filter) && ctx.seesSession(c, e.session) && (after === null || eventNumber(e.id) > after)));
  if (list.length === 0) return;
  batch.events = list;
  keys.push(k);
  c.lastEvent = list.at(-1)!.id;
}

function planDocs(c: ClientState, tick: Tick, ctx: PlanContext, keys: string[], batch: Batch): void {
  if (c.docs.size === 0) return;
  const names = new Set(c.docsStale);
  for (const name of tick.docs) if (c.docs.has(name)) names.add(name);
  c.docsStale.clear();
  const docs = [...names].flatMap((n) => {
    const d = ctx.doc(n);
    return d ? [d] : [];
  });
  if (docs.length === 0) return;
  batch.docs = docs;
  keys.push(`D${docs.map((d) => d.name).join(",")}`);
}
