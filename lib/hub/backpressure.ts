import type { ClientState } from "./client-state.ts";
import type { Tick } from "./tick.ts";

/** Flow control is on for this client and its window of unacknowledged batches is full. */
export function windowFull(c: ClientState, maxUnackedBatches: number): boolean {
  return c.unacked !== null && c.unacked.length >= maxUnackedBatches;
}

/** Batches up to number `n` were applied: they leave the client's window (its first ack turns it on). */
export function ackUpTo(c: ClientState, n: number): void {
  const list = (c.unacked ??= []);
  let drop = 0;
  while (drop < list.length && list[drop]! <= n) drop++;
  if (drop > 0) list.splice(0, drop);
}

/** A client over its bound gets nothing this tick; it keeps one mark per pane and per topic. */
export function markSkipped(c: ClientState, tick: Tick, wants: (pane: string) => boolean): void {
  if (c.subscribed) for (const pane of tick.changed) if (wants(pane)) c.stale.add(pane);
  // Status changes ride in the sessions push too, so the client ends right.
  if (tick.status.size > 0) c.sessions = true;
  if (c.events && (tick.events.length > 0 || tick.eventsOverflow)) c.eventsMissed = true;
  for (const name of tick.docs) if (c.docs.has(name)) c.docsStale.add(name);
}
