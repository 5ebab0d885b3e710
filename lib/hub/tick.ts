import type { AgentStatus, FleetEvent, PaneAlert, PaneUpdate } from "../protocol.ts";

/** Most deltas kept per pane within one tick; past it, clients behind on that pane get its full frame. */
const MAX_DELTAS_PER_PANE = 64;
/** Most alerts and events carried by one tick; past it, subscribers are told they missed some. */
const MAX_ITEMS = 1000;

/**
 * What became due between two frame ticks, shared by every client, and the values computed for the
 * tick (per pane and seq, per view), so each distinct part is built once however many clients get it.
 */
export class Tick {
  readonly changed = new Set<string>();
  private readonly deltas = new Map<string, PaneUpdate[] | null>();
  readonly status = new Map<string, AgentStatus>();
  readonly alerts: PaneAlert[] = [];
  readonly events: FleetEvent[] = [];
  readonly docs = new Set<string>();
  /** More events than one tick carries came: subscribers must ask for them. */
  eventsOverflow = false;
  private readonly memos = new Map<string, unknown>();

  addUpdate(u: PaneUpdate): void {
    this.changed.add(u.pane);
    const list = this.deltas.get(u.pane);
    if (list === null) return;
    if (!list) this.deltas.set(u.pane, [u]);
    else if (list.length >= MAX_DELTAS_PER_PANE) this.deltas.set(u.pane, null);
    else list.push(u);
  }

  /** This tick's deltas of a pane from `fromSeq` on, when they reach back that far. */
  chainFrom(pane: string, fromSeq: number): PaneUpdate[] | null {
    const list = this.deltas.get(pane);
    if (!list) return null;
    const start = list.findIndex((u) => u.base === fromSeq && u.delta.kind === "diff");
    return start === -1 ? null : list.slice(start);
  }

  addStatus(s: AgentStatus): void {
    this.status.set(s.pane, s);
  }

  addAlert(a: PaneAlert): void {
    if (this.alerts.length < MAX_ITEMS) this.alerts.push(a);
  }

  addEvent(e: FleetEvent): void {
    if (this.events.length < MAX_ITEMS) this.events.push(e);
    else this.eventsOverflow = true;
  }

  /** Only screens and documents changed: nothing a client should see late (states, alerts, events). */
  get onlyScreens(): boolean {
    return this.status.size === 0 && this.alerts.length === 0 && this.events.length === 0 && !this.eventsOverflow;
  }

  get empty(): boolean {
    return this.changed.size === 0 && this.status.size === 0 && this.alerts.length === 0 && this.events.length === 0 && this.docs.size === 0 && !this.eventsOverflow;
  }

  /** A value computed once per tick for everyone whose part has this key. */
  memo<T>(key: string, make: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const v = make();
    this.memos.set(key, v);
    return v;
  }
}
