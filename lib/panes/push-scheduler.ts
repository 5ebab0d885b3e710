import { CoalescedRun } from "../coalesced-run.ts";

export interface PushSchedulerPorts {
  /**
   * Reads the screens of these panes (batched tmux calls) and takes them in; `plain`: the ones whose
   * output since their last read only printed text and moved down, so their changed rows are enough.
   * Resolves the panes whose screen changed.
   */
  capture(ids: string[], plain: ReadonlySet<string>): Promise<ReadonlySet<string>>;
  /** Reads the topology again and installs it. */
  readTopology(): Promise<void>;
  /** Whether the topology knows this pane. */
  isKnown(id: string): boolean;
  /** Whether someone watches this pane closely (a focused view, typing): it keeps the frame pace while it streams. */
  isClose?(id: string): boolean;
  /**
   * Asks tmux to stop telling each line this pane prints (the change feed's hold; call again on its
   * output, a no-op where held), and to tell them again. Absent: output is never held back.
   */
  hold?(id: string): void;
  release?(id: string): void;
}

export interface PushSchedulerOptions {
  /** A pane printing non-stop is captured at most once per this interval (trailing edge kept). */
  frameIntervalMs: number;
  /** While output flows, titles and commands are re-read at most this often. */
  topologyRefreshMs: number;
  /**
   * A pane that prints again within this of its last read, and that nobody watches closely, is read
   * at most this often, together with every other such pane (one batch per interval). Absent, or not
   * above the frame interval: every pane keeps the frame pace.
   */
  busyIntervalMs?: number;
}

/**
 * Push mode's timing: which panes are dirty, and when to read them and the topology. Dirty panes are
 * captured together, at most once per frame interval, and the last change is always delivered
 * (trailing edge). Two paces: a pane's first output after a quiet spell (a busy interval without a
 * read), and any output of a pane watched closely, is read at the next frame; a pane that keeps
 * printing waits for the busy tick, which reads every dirty pane in one batch once per busy interval.
 * A fleet glanced at in a grid needs no 30 ms frames, and each read costs tmux a wake-up and a command.
 *
 * A pane at the busy pace is also held (`hold`): tmux stops sending a `%output` line per line it
 * prints, which only told that the pane is dirty, and the pane is read at every busy tick instead,
 * whole (what it printed is not known to be plain). A tick that finds it unchanged, or a pane now
 * watched closely (`watchedClosely`), releases it: its next output is told, and read at the frame pace
 * if it comes after a quiet spell. tmux says `continued` then, and the pane is read once more for what
 * it printed between the read and the release.
 * Topology reads never overlap; one asked for during a read runs right after it.
 */
export class PushScheduler {
  private readonly ports: PushSchedulerPorts;
  private readonly opts: PushSchedulerOptions;
  /** Dirty panes, each with whether everything it printed since its last read was plain. */
  private readonly dirty = new Map<string, boolean>();
  private flushTimer: NodeJS.Timeout | null = null;
  /** When the planned flush runs (performance.now() ms; Infinity: none planned). */
  private flushDueAt = Infinity;
  private flushing = false;
  private lastFlushAt = -Infinity;
  /** The last busy tick: a flush that read every dirty pane. */
  private lastBusyAt = -Infinity;
  /** When each known pane was last read (bounded by the panes: dropped in `forget`). */
  private readonly lastRead = new Map<string, number>();
  /** Panes whose output tmux holds back: read at every busy tick (bounded by the panes: dropped in `forget`). */
  private readonly held = new Set<string>();
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

  /** Panes whose output tmux holds back now. */
  get heldCount(): number {
    return this.held.size;
  }

  isHeld(pane: string): boolean {
    return this.held.has(pane);
  }

  /** A pane printed something (the change feed's "output"). */
  onOutput(pane: string, plain = false): void {
    if (!this.ports.isKnown(pane)) {
      // Output from a pane the topology does not know yet (just split): learn about it first.
      this.scheduleTopology(0);
      return;
    }
    if (this.ports.hold && (this.held.has(pane) || !this.fast(pane, performance.now()))) {
      // Held (or to hold): tmux's `%pause`, or output through a client that does not hold it yet
      // (a new one after a reconnect) which is asked now. Read whole from here on.
      this.held.add(pane);
      this.ports.hold(pane);
      plain = false;
    }
    this.markDirty(pane, plain);
    this.outputSeen();
  }

  /** tmux tells a released pane's output again: read it once more (what it printed just before). */
  onContinued(pane: string): void {
    if (this.ports.isKnown(pane) && !this.held.has(pane)) this.markDirty(pane);
  }

  /** Someone watches this pane closely now: its output is told again, and read at the frame pace. */
  watchedClosely(pane: string): void {
    if (this.held.has(pane)) this.release(pane);
  }

  /** The pane's screen must be read again (whole, unless `plain` and nothing else was asked since). */
  markDirty(pane: string, plain = false): void {
    this.dirty.set(pane, plain && (this.dirty.get(pane) ?? true));
    this.scheduleFlush(this.dueAt(pane, performance.now()));
  }

  /** A pane went away: never capture it. */
  forget(pane: string): void {
    this.dirty.delete(pane);
    this.lastRead.delete(pane);
    this.held.delete(pane);
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

  /**
   * Titles and commands change with output (an agent sets its title as it starts). Read them again at
   * most once per refresh interval, and always once after a burst (trailing edge), so a pane that
   * changed its title and then went quiet is not left with the old one.
   */
  private outputSeen(): void {
    if (!this.topoTimer && !this.topology.running) {
      this.scheduleTopology(Math.max(1, this.lastTopoAt + this.opts.topologyRefreshMs - performance.now()));
    }
  }

  private release(pane: string): void {
    this.held.delete(pane);
    this.ports.release?.(pane);
  }

  /**
   * After a read: a held pane that changed is read again at the next busy tick (its output counts as
   * output, for the topology too); one that did not, or that is watched closely now, is released.
   */
  private afterRead(ids: readonly string[], changed: ReadonlySet<string> | null): void {
    for (const id of ids) {
      if (!this.held.has(id)) continue;
      if ((changed === null || changed.has(id)) && this.ports.isClose?.(id) !== true) {
        this.markDirty(id);
        if (changed !== null) this.outputSeen();
      } else this.release(id);
    }
  }

  private get busyMs(): number {
    const busy = this.opts.busyIntervalMs ?? 0;
    return busy > this.opts.frameIntervalMs ? busy : 0;
  }

  /** Whether a dirty pane is read at the next frame: pacing is off, it was quiet, or someone watches it closely. */
  private fast(pane: string, now: number): boolean {
    const busy = this.busyMs;
    if (busy === 0) return true;
    const last = this.lastRead.get(pane);
    return last === undefined || now - last >= busy || this.ports.isClose?.(pane) === true;
  }

  /** When a dirty pane is read: the next frame if fast, else the next busy tick (or when it turns quiet, if sooner). */
  private dueAt(pane: string, now: number): number {
    const frame = this.lastFlushAt + this.opts.frameIntervalMs;
    if (this.fast(pane, now)) return frame;
    const busyTick = Math.min(this.lastBusyAt, this.lastRead.get(pane) ?? -Infinity) + this.busyMs;
    return Math.max(frame, busyTick);
  }

  /** Plans the flush for `due` (or keeps an earlier one). */
  private scheduleFlush(due: number): void {
    if (this.flushing || this.stopped) return;
    if (this.flushTimer) {
      if (due >= this.flushDueAt) return;
      clearTimeout(this.flushTimer);
    }
    this.flushDueAt = due;
    // Timers may fire a fraction of a millisecond early: round up, and a flush that finds nothing due plans again.
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.flushDueAt = Infinity;
      void this.flush();
    }, Math.max(0, Math.ceil(due - performance.now())));
  }

  /** Plans the flush for the earliest due of the dirty panes. */
  private scheduleDirty(): void {
    const now = performance.now();
    let due = Infinity;
    for (const id of this.dirty.keys()) due = Math.min(due, this.dueAt(id, now));
    if (due < Infinity) this.scheduleFlush(due);
  }

  private async flush(): Promise<void> {
    if (this.dirty.size === 0 || this.stopped) return;
    const now = performance.now();
    // A busy tick reads every dirty pane; another flush only those due at the frame pace.
    const busyTick = now >= this.lastBusyAt + this.busyMs;
    const due = [...this.dirty.keys()].filter((id) => busyTick || this.fast(id, now));
    if (due.length === 0) {
      this.scheduleDirty();
      return;
    }
    this.flushing = true;
    this.lastFlushAt = now;
    if (busyTick) this.lastBusyAt = now;
    const ids = due.filter((id) => this.ports.isKnown(id));
    const plain = new Set(ids.filter((id) => this.dirty.get(id) === true));
    for (const id of due) this.dirty.delete(id);
    for (const id of ids) this.lastRead.set(id, now);
    let changed: ReadonlySet<string> | null = null;
    try {
      if (ids.length > 0) changed = await this.ports.capture(ids, plain);
    } catch {
      // The port reports its own failures; the next output tries again (a held pane, the next tick).
    } finally {
      if (!this.stopped) this.afterRead(ids, changed);
      this.flushing = false;
      if (this.dirty.size > 0) this.scheduleDirty();
    }
  }
}
