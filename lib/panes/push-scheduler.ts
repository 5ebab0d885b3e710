import { CoalescedRun } from "../coalesced-run.ts";

export interface PushSchedulerPorts {
  /**
   * Reads the screens of these panes (batched tmux calls) and takes them in; `plain`: the ones whose
   * output since their last read only printed text and moved down, so their changed rows are enough.
   */
  capture(ids: string[], plain: ReadonlySet<string>): Promise<void>;
  /** Reads the topology again and installs it. */
  readTopology(): Promise<void>;
  /** Whether the topology knows this pane. */
  isKnown(id: string): boolean;
}

export interface PushSchedulerOptions {
  /** A pane printing non-stop is captured at most once per this interval (trailing edge kept). */
  frameIntervalMs: number;
  /** While output flows, titles and commands are re-read at most this often. */
  topologyRefreshMs: number;
}

/**
 * Push mode's timing: which panes are dirty, and when to read them and the topology. All dirty panes
 * are captured together, at most once per frame interval, and the last change is always delivered
 * (trailing edge). Topology reads never overlap; one asked for during a read runs right after it.
 */
export class PushScheduler {
  private readonly ports: PushSchedulerPorts;
  private readonly opts: PushSchedulerOptions;
  /** Dirty panes, each with whether everything it printed since its last read was plain. */
  private readonly dirty = new Map<string, boolean>();
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing = false;
  private lastFlushAt = -Infinity;
  private topoTimer: NodeJS.Timeout | null = null;
  private lastTopoAt = 0;
  private readonly topology: CoalescedRun;
  private stopped = false;

  constructor(ports: PushSchedulerPorts, opts: PushSchedulerOptions) {
    this.ports = ports;
    this.opts = opts;
    this.topology = new CoalescedRun(
      async () => {
        this.lastTopoAt = performance.now();
        await this.ports.readTopology();
      },
      () => this.scheduleTopology(0),
    );
  }

  get dirtyCount(): number {
    return this.dirty.size;
  }

  /** A pane printed something (the change feed's "output"). */
  onOutput(pane: string, plain = false): void {
    if (!this.ports.isKnown(pane)) {
      // Output from a pane the topology does not know yet (just split): learn about it first.
      this.scheduleTopology(0);
      return;
    }
    this.markDirty(pane, plain);
    // Titles and commands change with output (an agent sets its title as it starts). Read them again at
    // most once per refresh interval, and always once after a burst (trailing edge), so a pane that
    // changed its title and then went quiet is not left with the old one.
    if (!this.topoTimer && !this.topology.running) {
      this.scheduleTopology(Math.max(1, this.lastTopoAt + this.opts.topologyRefreshMs - performance.now()));
    }
  }

  /** The pane's screen must be read again (whole, unless `plain` and nothing else was asked since). */
  markDirty(pane: string, plain = false): void {
    this.dirty.set(pane, plain && (this.dirty.get(pane) ?? true));
    this.scheduleFlush();
  }

  /** A pane went away: never capture it. */
  forget(pane: string): void {
    this.dirty.delete(pane);
  }

  /** Reads the topology now (or right after the read in progress). */
  refreshTopology(): Promise<void> {
    return this.topology.run();
  }

  /** Reads the topology after `delayMs`; 0 replaces a later read already planned. */
  scheduleTopology(delayMs: number): void {
    if (this.stopped) return;
    if (this.topoTimer) {
      if (delayMs > 0) return;
      clearTimeout(this.topoTimer);
    }
    this.topoTimer = setTimeout(() => {
      this.topoTimer = null;
      void this.topology.run();
    }, delayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of [this.flushTimer, this.topoTimer]) if (t) clearTimeout(t);
    this.flushTimer = null;
    this.topoTimer = null;
    await this.topology.settled();
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.flushing || this.stopped) return;
    const wait = Math.max(0, this.lastFlushAt + this.opts.frameIntervalMs - performance.now());
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      void this.flush();
    }, wait);
  }

  private async flush(): Promise<void> {
    if (this.dirty.size === 0 || this.stopped) return;
    this.flushing = true;
    this.lastFlushAt = performance.now();
    const ids = [...this.dirty.keys()].filter((id) => this.ports.isKnown(id));
    const plain = new Set(ids.filter((id) => this.dirty.get(id) === true));
    this.dirty.clear();
    try {
      if (ids.length > 0) await this.ports.capture(ids, plain);
    } catch {
      // The port reports its own failures; the next output tries again.
    } finally {
      this.flushing = false;
      if (this.dirty.size > 0) this.scheduleFlush();
    }
  }
}
