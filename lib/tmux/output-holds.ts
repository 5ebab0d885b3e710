/** What a hold needs of a control client (ControlClient is one). */
export interface HoldingClient {
  hold(pane: string): void;
  release(pane: string): void;
}

/** Most panes whose clients are remembered; past it, the oldest are dropped. */
const MAX_PANES = 10_000;

/**
 * Which control clients each pane's output comes through (a window may be linked into two watched
 * sessions), so that holding a pane's output back, and letting it flow again, asks each of them. A
 * client that goes away takes its holds with it: tmux starts a new client with every pane's output on.
 */
export class OutputHolds<C extends HoldingClient> {
  private readonly reporting = new Map<string, Set<C>>();

  /** The pane's output (or its `%pause`) came through this client. */
  reported(pane: string, client: C): void {
    const set = this.reporting.get(pane);
    if (set) {
      set.add(client);
      return;
    }
    if (this.reporting.size >= MAX_PANES) this.reporting.delete(this.reporting.keys().next().value!);
    this.reporting.set(pane, new Set([client]));
  }

  /** Holds the pane's output back on every client it came through (a no-op where held already). */
  hold(pane: string): void {
    for (const c of this.reporting.get(pane) ?? []) c.hold(pane);
  }

  /** Lets the pane's output flow again on every client that held it. */
  release(pane: string): void {
    for (const c of this.reporting.get(pane) ?? []) c.release(pane);
  }

  /** A pane that went away: its output flows no more, and its clients are not remembered. */
  forget(pane: string): void {
    this.release(pane);
    this.reporting.delete(pane);
  }

  /** A client that closed. */
  drop(client: C): void {
    for (const [pane, set] of this.reporting) if (set.delete(client) && set.size === 0) this.reporting.delete(pane);
  }

  get size(): number {
    return this.reporting.size;
  }
}
