import type { ProcessState } from "../protocol.ts";

export interface ActivityOptions {
  /** A running pane turns quiet after this long without output. */
  quietMs: number;
  /** A quiet pane turns running only after this many screen changes within `quietMs`. */
  runningUpdates: number;
}

/**
 * running/quiet for panes whose foreground program is not an agent, from their output alone, with
 * hysteresis so a `top` refreshing every few seconds or a build loop stays one state instead of
 * flipping on every frame: entering `running` takes `runningUpdates` changes within `quietMs`;
 * leaving it takes `quietMs` of silence. Bounded: a pane keeps at most `runningUpdates` times.
 */
export class Activity {
  private readonly opts: ActivityOptions;
  private readonly recent = new Map<string, number[]>();

  constructor(opts: ActivityOptions) {
    this.opts = opts;
  }

  note(pane: string, at: number): void {
    const list = this.recent.get(pane) ?? [];
    list.push(at);
    if (list.length > this.opts.runningUpdates) list.shift();
    this.recent.set(pane, list);
  }

  /** The state now, given the previous one, and when to look again (null: only on new output). */
  state(pane: string, previous: ProcessState | null, now: number): { state: ProcessState; recheckAt: number | null } {
    const list = this.recent.get(pane) ?? [];
    const last = list[list.length - 1];
    if (last === undefined) return { state: "quiet", recheckAt: null };
    const quietAt = last + this.opts.quietMs;
    if (previous === "running") return now < quietAt ? { state: "running", recheckAt: quietAt } : { state: "quiet", recheckAt: null };
    const within = list.filter((t) => now - t < this.opts.quietMs).length;
    return within >= this.opts.runningUpdates ? { state: "running", recheckAt: quietAt } : { state: "quiet", recheckAt: null };
  }

  forget(pane: string): void {
    this.recent.delete(pane);
  }
}
