import { EventEmitter } from "node:events";
import { normalizeLines } from "../ansi.ts";
import type { PaneInfo, PaneUpdate, TmuxState, Topology } from "../protocol.ts";
import { capturePanes } from "../tmux/capture.ts";
import type { ChangeFeedEvents } from "../tmux/change-feed.ts";
import { PaneNotFound, TmuxServerNotRunning } from "../tmux/errors.ts";
import type { TmuxReads } from "../tmux/runtime.ts";
import { captureRows, changedRows, rowsAbove, type RowRange, type RowsRequest, type ScreenState } from "../tmux/screen-rows.ts";
import { readSnapshot } from "../tmux/snapshot.ts";
import { applyProcessTypes, ForegroundTypes } from "../tmux/foreground.ts";
import { readTopology } from "../tmux/topology.ts";
import { allPanes, filterSessions } from "../topology.ts";
import { CloseWatch } from "./close-watch.ts";
import { ForegroundWatch } from "./foreground-watch.ts";
import { FrameStore, type Frame } from "./frame-store.ts";
import { PollLoop } from "./poll-loop.ts";
import { PushScheduler } from "./push-scheduler.ts";

export type { Frame };

export interface TrackerOptions {
  mode: "push" | "poll";
  sessions: readonly string[];
  userOptions: readonly string[];
  colors: boolean;
  /** A pane printing non-stop is captured at most once per this interval (trailing edge kept). */
  frameIntervalMs: number;
  /** While output flows, titles and commands are re-read at most this often. */
  topologyRefreshMs: number;
  /** A pane that keeps printing, watched closely by nobody, is read at most this often (0: at the frame pace). */
  busyIntervalMs?: number;
  /** Panes watched closely: read at the frame pace while they stream. */
  closeWatch?: CloseWatch;
  poll: { baseIntervalMs: number; maxIntervalMs: number; noChangeThreshold: number };
  /** Most panes tracked; frames of panes past it are not kept. */
  maxPanes: number;
}

/** What the tracker needs of the change feed (ChangeFeed is one); a test hands in its own emitter. */
export interface TrackerFeed extends Pick<EventEmitter<ChangeFeedEvents>, "on"> {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Holding a pane's output back while it is read at the busy pace (absent: never held). */
  hold?(pane: string): void;
  release?(pane: string): void;
  forget?(pane: string): void;
}

export interface TrackerEvents {
  update: [PaneUpdate];
  removed: [string];
  topology: [Topology];
  state: [TmuxState];
}

/**
 * Keeps the current screen of every watched pane and tells the hub what changed. It wires three
 * parts to tmux: the FrameStore (frames, seq numbers, deltas), and either the PushScheduler (push
 * mode: the change feed says which pane is dirty) or the PollLoop (poll mode: batched snapshots on
 * the AdaptivePoller's interval). It owns the topology: which panes exist, and their sizes.
 */
export class PaneTracker extends EventEmitter<TrackerEvents> {
  private readonly runtime: TmuxReads;
  private readonly feed: TrackerFeed | null;
  private readonly opts: TrackerOptions;
  private readonly frames: FrameStore;
  private readonly push: PushScheduler;
  private readonly poll: PollLoop;
  private panes = new Map<string, PaneInfo>();
  private _topology: Topology = { sessions: [] };
  private topologyJson = "";
  private _state: TmuxState = "down";
  private captures = 0;
  /** Panes taken in from their changed rows alone (the rest were read whole). */
  private rowCaptures = 0;
  /** Lines each pane scrolled between its last two row reads: how many rows above the cursor to read next. */
  private readonly lastShift = new Map<string, number>();
  private readonly foreground = new ForegroundTypes();
  private readonly close: CloseWatch;
  /** On output, a look at the pane's foreground program (a new type is told with a topology read). */
  private readonly foregroundWatch = new ForegroundWatch(this.foreground, (id) => this.panes.get(id), () => this.push.scheduleTopology(0));
  /** A pane's title changed while its screen did not (Codex shows a running turn only there). */
  readonly titles = new EventEmitter<{ changed: [string] }>();

  constructor(runtime: TmuxReads, feed: TrackerFeed | null, opts: TrackerOptions) {
    super();
    this.runtime = runtime;
    this.feed = feed;
    this.opts = opts;
    this.close = opts.closeWatch ?? new CloseWatch();
    // Seqs numbered from the clock (microseconds, below 2^53 until the year 2255) only grow across
    // restarts: a cluster's other nodes and resuming clients keep a pane's seqs as its node gave them.
    this.frames = new FrameStore({ colors: opts.colors, maxPanes: opts.maxPanes, firstSeq: Date.now() * 1000 });
    this.push = new PushScheduler(
      {
        capture: (ids, plain) => this.capture(ids, plain),
        readTopology: () => this.readTopology(),
        isKnown: (id) => this.panes.has(id),
        isClose: (id) => this.close.isClose(id),
        ...(feed?.hold && feed.release ? { hold: (id: string) => feed.hold!(id), release: (id: string) => feed.release!(id) } : {}),
      },
      { frameIntervalMs: opts.frameIntervalMs, topologyRefreshMs: opts.topologyRefreshMs, busyIntervalMs: opts.busyIntervalMs },
    );
    this.poll = new PollLoop(() => this.pollOnce(), opts.poll);
  }

  get topology(): Topology {
    return this._topology;
  }

  get state(): TmuxState {
    return this._state;
  }

  get pollIntervalMs(): number {
    return this.poll.intervalMs;
  }

  get stats(): { captures: number; rowCaptures: number; capturedPanes: number; capturedBytes: number; updates: number; unchanged: number; held: number } {
    return { captures: this.captures, rowCaptures: this.rowCaptures, ...this.frames.stats, held: this.push.heldCount };
  }

  /** Whether tmux holds this pane's output back now (it prints at the busy pace, read at each busy tick). */
  isHeld(id: string): boolean {
    return this.push.isHeld(id);
  }

  pane(id: string): PaneInfo | undefined {
    return this.panes.get(id);
  }

  /**
   * A pane, reading the topology again first if it is not known: a pane made a moment ago (an agent's
   * first hook event comes as it starts), or panes dropped while the change feed was reconnecting.
   */
  async paneNow(id: string): Promise<PaneInfo | undefined> {
    if (!this.panes.has(id)) await this.readTopology();
    return this.panes.get(id);
  }

  frame(id: string): Frame | undefined {
    return this.frames.get(id);
  }

  /** The current frame of a pane as a full update (seq unchanged). */
  fullUpdate(id: string): PaneUpdate | null {
    return this.frames.fullUpdate(id);
  }

  async start(): Promise<void> {
    if (this.opts.mode === "poll" || !this.feed) {
      await this.poll.start();
      return;
    }
    this.feed.on("output", (pane, plain) => this.push.onOutput(pane, plain));
    this.feed.on("continued", (pane) => this.push.onContinued(pane));
    this.close.onClose((pane) => this.push.watchedClosely(pane));
    this.feed.on("structure", () => this.push.scheduleTopology(15));
    // Read a newly watched session's panes again: output before its control client attached was not reported.
    this.feed.on("attached", (sessionId) => {
      for (const p of this.panes.values()) if (p.sessionId === sessionId) this.push.markDirty(p.id);
    });
    this.feed.on("state", (s) => {
      this.setState(s);
      if (s === "down") this.applyTopology({ sessions: [] });
    });
    await this.feed.start();
    await this.push.refreshTopology();
  }

  async stop(): Promise<void> {
    this.poll.stop();
    this.foregroundWatch.stop();
    await this.push.stop();
    await this.feed?.stop();
  }

  /** Scrollback above the visible screen, for the focused view. */
  async history(id: string, lines: number): Promise<string[]> {
    const got = await capturePanes(this.runtime, [id], { colors: this.opts.colors, historyLines: lines, historyOnly: true });
    const h = got.get(id);
    if (!h) throw new PaneNotFound(id);
    return this.opts.colors ? normalizeLines(h) : h;
  }

  /** Reads these panes (changed rows alone for `plain` ones) and takes them in; resolves those that changed. */
  private async capture(ids: string[], plain: ReadonlySet<string>): Promise<ReadonlySet<string>> {
    const changed = new Set<string>();
    try {
      const whole = plain.size > 0 ? await this.captureChangedRows(ids.filter((id) => plain.has(id)), changed) : new Set<string>();
      const rest = ids.filter((id) => !plain.has(id) || whole.has(id));
      if (rest.length === 0) return changed;
      const titles = new Map<string, string>();
      const screens = new Map<string, ScreenState>();
      const got = await capturePanes(this.runtime, rest, { colors: this.opts.colors, titles, screens });
      this.captures++;
      for (const [id, lines] of got) if (lines && this.ingestScreen(id, lines, titles.get(id), screens.get(id))) changed.add(id);
    } catch (err) {
      if (err instanceof TmuxServerNotRunning) this.setState("down");
      throw err;
    }
    return changed;
  }

  /**
   * Panes whose output was plain: in one tmux call, each screen's state and its rows from a few above
   * the cursor's last row to the bottom. Returns the panes that must be read whole after all: the
   * state says more rows changed than were read, or that the change cannot be told by rows. Adds
   * those whose rows changed to `changed`.
   */
  private async captureChangedRows(ids: string[], changed: Set<string>): Promise<Set<string>> {
    const whole = new Set(ids);
    const reqs: RowsRequest[] = [];
    for (const id of ids) {
      const prev = this.frames.get(id)?.state;
      if (!prev) continue;
      const start = Math.max(0, prev.cursorY - rowsAbove(this.lastShift.get(id) ?? 0, prev.height));
      reqs.push({ id, start, end: prev.height - 1 });
    }
    if (reqs.length === 0) return whole;
    const got = await captureRows(this.runtime, reqs);
    this.captures++;
    for (const q of reqs) {
      const read = got.get(q.id);
      const prev = this.frames.get(q.id)?.state;
      const range = read && prev ? changedRows(prev, read.state) : null;
      if (range) this.lastShift.set(q.id, range.shift);
      const taken = read && range ? this.ingestRows(q.id, range, read.rows, q.start, read.state, read.title) : null;
      if (taken !== null) whole.delete(q.id);
      if (taken) changed.add(q.id);
    }
    return whole;
  }

  private async readTopology(): Promise<void> {
    try {
      this.applyTopology(await readTopology(this.runtime, this.opts.userOptions));
    } catch (err) {
      if (err instanceof TmuxServerNotRunning) this.applyTopology({ sessions: [] });
    }
  }

  /** Takes in a pane's changed rows (in rows read from `rowsStart`): whether it changed, null when they do not fit its last frame. */
  private ingestRows(id: string, range: RowRange, rows: string[], rowsStart: number, state: ScreenState, title: string): boolean | null {
    const info = this.panes.get(id);
    if (!info || info.width !== state.width || info.height !== state.height) return null;
    return this.ingest(id, title, (size) => {
      const got = this.frames.ingestRows(id, range, rows, rowsStart, size, state);
      if (got) this.rowCaptures++;
      return got && got.update;
    });
  }

  /** Takes in a whole screen; whether it changed. */
  private ingestScreen(id: string, lines: string[], title?: string, state?: ScreenState): boolean {
    return this.ingest(id, title, (size) => this.frames.ingest(id, lines, size, state)) === true;
  }

  /**
   * What a read of a pane brings besides its screen (its title, its foreground program), then the
   * frame `take` makes of it: whether it changed, null when `take` found the read did not fit (false).
   */
  private ingest(id: string, title: string | undefined, take: (info: PaneInfo) => PaneUpdate | null | false): boolean | null {
    const info = this.panes.get(id);
    if (!info) return false;
    // The title read with this very screen: fresher than the last topology read.
    const retitled = title !== undefined && title !== info.title;
    if (retitled) info.title = title;
    // A new program in the pane's foreground (an agent started from the shell, or one that exited):
    // its type is right for this very frame, and the topology is read now to tell everyone.
    if (this.opts.mode === "push" && this.foregroundWatch.check(id, info, performance.now())) this.push.scheduleTopology(0);
    const update = take(info);
    if (update === false) return null;
    if (update) this.emit("update", update);
    else if (retitled) this.titles.emit("changed", id);
    return update !== null;
  }

  /** Installs a new topology: emits it when it changed, drops panes that went, marks new or resized ones dirty. */
  private applyTopology(raw: Topology): void {
    const topo = filterSessions(raw, this.opts.sessions);
    applyProcessTypes(topo, this.foreground);
    const next = new Map(allPanes(topo).slice(0, this.opts.maxPanes).map((p) => [p.id, p]));
    const prev = this.panes;
    this.panes = next;
    for (const id of prev.keys()) {
      if (!next.has(id)) {
        this.frames.delete(id);
        this.lastShift.delete(id);
        this.push.forget(id);
        this.feed?.forget?.(id);
        this.foregroundWatch.forget(id);
        this.emit("removed", id);
      }
    }
    const json = JSON.stringify(topo);
    if (json !== this.topologyJson) {
      this.topologyJson = json;
      this._topology = topo;
      this.emit("topology", topo);
    }
    if (this.opts.mode !== "push") return;
    for (const [id, p] of next) {
      const old = prev.get(id);
      if (!old || old.width !== p.width || old.height !== p.height || !this.frames.has(id)) this.push.markDirty(id);
    }
  }

  /** One poll: topology and every known screen in one batched read; resolves whether anything changed. */
  private async pollOnce(): Promise<boolean> {
    try {
      const snap = await readSnapshot(this.runtime, [...this.panes.keys()], this.opts.userOptions, { colors: this.opts.colors });
      this.setState(snap.topology.sessions.length > 0 ? "up" : "down");
      const before = this.topologyJson;
      this.applyTopology(snap.topology);
      let changed = before !== this.topologyJson;
      for (const [id, lines] of snap.frames) if (lines && this.ingestScreen(id, lines)) changed = true;
      return changed;
    } catch (err) {
      // No server: nothing to show until it is back. Anything else (a timeout): try again next tick.
      if (err instanceof TmuxServerNotRunning) {
        this.setState("down");
        this.applyTopology({ sessions: [] });
      }
      return false;
    }
  }

  private setState(s: TmuxState): void {
    if (s === this._state) return;
    this._state = s;
    this.emit("state", s);
  }
}
