import type { PaneInfo } from "../protocol.ts";
import type { ForegroundTypes } from "../tmux/foreground.ts";

/**
 * Looks at a pane's foreground program when the pane prints (an agent started from the shell, or
 * one that exited to it), at most once per `everyMs` per pane, and once more at the end of a window
 * in which output came unchecked (trailing edge). An agent's last output and the shell's prompt after
 * it come milliseconds apart: the prompt is the only output that shows the agent gone, and without
 * the trailing look its type waited for the next topology read (up to topology_refresh_ms).
 */
export class ForegroundWatch {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly types: Pick<ForegroundTypes, "changed" | "checkedAt">,
    /** The pane as the tracker knows it now (gone: undefined). */
    private readonly lookup: (id: string) => PaneInfo | undefined,
    /** A trailing look found a new type (already set on the pane). */
    private readonly onChanged: (id: string) => void,
    private readonly everyMs = 500,
  ) {}

  /** On the pane's output: whether its type changed (then set on `info`). */
  check(id: string, info: PaneInfo, now: number): boolean {
    if (info.pid === null) return false;
    const type = this.types.changed(info.pid, info.command, info.agentType, now, this.everyMs);
    if (type !== null) {
      info.agentType = type;
      return true;
    }
    const last = this.types.checkedAt(info.pid);
    if (last !== undefined && last !== now) this.later(id, last + this.everyMs - now);
    return false;
  }

  forget(id: string): void {
    const t = this.timers.get(id);
    if (t) clearTimeout(t);
    this.timers.delete(id);
  }

  stop(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private later(id: string, inMs: number): void {
    if (this.timers.has(id)) return;
    const timer = setTimeout(
      () => {
        this.timers.delete(id);
        const info = this.lookup(id);
        if (info && this.check(id, info, performance.now())) this.onChanged(id);
      },
      Math.max(0, inMs) + 1,
    );
    timer.unref();
    this.timers.set(id, timer);
  }
}
