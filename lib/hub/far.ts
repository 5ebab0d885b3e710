import { hasPending, type ClientState } from "./client-state.ts";

// Panes a client shows off screen (`view:set`): their changes wait in the client's `deferred` set
// and go out at most every `farIntervalMs`.

/** Takes the client's new off-screen panes; one back on screen is marked stale, sent at the next tick. */
export function setFarPanes(c: ClientState, panes: readonly string[], farIntervalMs: number | undefined): void {
  c.far = farIntervalMs ? new Set(panes) : new Set();
  for (const pane of c.deferred) {
    if (c.far.has(pane)) continue;
    c.deferred.delete(pane);
    c.stale.add(pane);
  }
}

/** Whether the client's off-screen changes may go out now; when they may, the next wait starts. */
export function farDue(c: ClientState, farIntervalMs: number | undefined): boolean {
  const now = performance.now();
  if (now < c.farDueAt) return false;
  c.farDueAt = now + (farIntervalMs ?? 0);
  return true;
}

/**
 * Whether a client that shows changes at most every `frameMs` gets nothing this tick: its last batch
 * was less than that ago. What it misses is marked as for a skipped client (latest wins per pane).
 */
export function paced(c: ClientState, now: number): boolean {
  return c.frameMs > 0 && now < c.batchDueAt;
}

/** A batch went to the client: its next one waits `frameMs`. */
export function batchSent(c: ClientState, now: number): void {
  if (c.frameMs > 0) c.batchDueAt = now + c.frameMs;
}

/**
 * Changes still held (off-screen panes, or a paced client's marks): a tick when they are due, even if
 * nothing else happens by then.
 */
export class DeferredWake {
  private timer: NodeJS.Timeout | null = null;
  private readonly wake: () => void;

  constructor(wake: () => void) {
    this.wake = wake;
  }

  schedule(clients: Iterable<ClientState>, farIntervalMs: number | undefined): void {
    if (this.timer) return;
    let due = Infinity;
    for (const c of clients) {
      if (farIntervalMs && c.deferred.size > 0) due = Math.min(due, c.farDueAt);
      if (c.frameMs > 0 && hasPending(c)) due = Math.min(due, c.batchDueAt);
    }
    if (due === Infinity) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.wake();
    }, Math.max(0, due - performance.now()) + 1);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
