import type { ClientState } from "./client-state.ts";
import { PaneIndex } from "./pane-index.ts";

/**
 * The hub's clients and the index of which panes each may see. It is made before the agents, which
 * ask who watches (their samplers run while anyone watches, for the panes someone sees), and handed
 * to the hub, which alone adds and removes clients: so the agents need no hub, and the hub is built
 * after them with everything it needs.
 */
export class HubClients {
  readonly index = new PaneIndex();
  private readonly all = new Map<string, ClientState>();
  /** How many clients show each pane in their focused view. */
  private readonly focusCount = new Map<string, number>();
  /** Told of a pane no client showed in its focused view and one does now. */
  onFocus: ((pane: string) => void) | null = null;

  get size(): number {
    return this.all.size;
  }

  get(id: string): ClientState | undefined {
    return this.all.get(id);
  }

  set(id: string, c: ClientState): void {
    this.all.set(id, c);
  }

  delete(id: string): void {
    const c = this.all.get(id);
    if (c) this.count(c.focus, -1);
    this.all.delete(id);
  }

  /** The panes this client shows in its focused view (`view:set` focus): those it may see. */
  setFocus(id: string, panes: readonly string[]): void {
    const c = this.all.get(id);
    if (!c) return;
    this.count(c.focus, -1);
    c.focus = new Set(panes.filter((p) => this.canSee(id, p)));
    this.count(c.focus, 1);
  }

  /** A pane is gone: no client shows it in its focused view any more (tmux reuses ids after a restart). */
  dropFocus(pane: string): void {
    if (!this.focusCount.delete(pane)) return;
    for (const c of this.all.values()) c.focus.delete(pane);
  }

  /** Whether some client shows this pane in its focused view. */
  focused(pane: string): boolean {
    return this.focusCount.has(pane);
  }

  private count(panes: Iterable<string>, by: 1 | -1): void {
    for (const p of panes) {
      const n = (this.focusCount.get(p) ?? 0) + by;
      if (n > 0) this.focusCount.set(p, n);
      else this.focusCount.delete(p);
      if (n === 1 && by === 1) this.onFocus?.(p);
    }
  }

  values(): IterableIterator<ClientState> {
    return this.all.values();
  }

  /** Whether this client may see this pane (its limit allows the session; before subscribing, any pane). */
  canSee(id: string, pane: string): boolean {
    const c = this.all.get(id);
    if (!c || !this.index.has(pane) || !this.index.allowed(c, pane)) return false;
    return !c.subscribed || this.index.wants(c, pane);
  }

  /** Whether some connected client may see this pane (and, once subscribed, follows it). */
  seenByAny(pane: string): boolean {
    for (const id of this.all.keys()) if (this.canSee(id, pane)) return true;
    return false;
  }

  /** Of `panes`, those at least one client may see and is subscribed to. */
  seen(panes: Iterable<string>): Set<string> {
    const out = new Set<string>();
    for (const p of panes) if (this.seenByAny(p)) out.add(p);
    return out;
  }
}
