import { AdaptivePoller } from "./adaptive-poller.ts";

export interface PollLoopOptions {
  baseIntervalMs: number;
  maxIntervalMs: number;
  noChangeThreshold: number;
}

/**
 * Poll mode: runs `tick` (one batched snapshot; resolves whether anything changed) on the
 * AdaptivePoller's interval, which grows while nothing changes and snaps back on a change. Ticks
 * never overlap: the next is planned only when the last has ended.
 */
export class PollLoop {
  private readonly tick: () => Promise<boolean>;
  private readonly poller: AdaptivePoller;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(tick: () => Promise<boolean>, opts: PollLoopOptions) {
    this.tick = tick;
    this.poller = new AdaptivePoller(opts.baseIntervalMs, opts.maxIntervalMs, opts.noChangeThreshold);
  }

  get intervalMs(): number {
    return this.poller.currentIntervalMs;
  }

  /** Runs the first tick; resolves when it has ended (the loop goes on). */
  start(): Promise<void> {
    this.stopped = false;
    return this.runOnce();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async runOnce(): Promise<void> {
    if (this.stopped) return;
    let changed = false;
    try {
      changed = await this.tick();
    } catch {
      // A failed tick counts as unchanged; the tick reports its own failures.
    }
    if (changed) this.poller.onChange();
    else this.poller.onNoChange();
    if (!this.stopped) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.runOnce();
      }, this.poller.currentIntervalMs);
    }
  }
}
