import type { ClientState } from "./client-state.ts";

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

/** Off-screen changes still held: a tick when they are due, even if nothing else happens by then. */
export class DeferredWake {
  private timer: NodeJS.Timeout | null = null;
  private readonly wake: () => void;

  constructor(wake: () => void) {
    this.wake = wake;
  }

  schedule(clients: Iterable<ClientState>, farIntervalMs: number | undefined): void {
    if (this.timer || !farIntervalMs) return;
    let due = Infinity;
    for (const c of clients) if (c.deferred.size > 0) due = Math.min(due, c.farDueAt);
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
