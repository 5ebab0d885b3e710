import { EventEmitter } from "node:events";
import type { PaneInfo, PaneUpdate, TmuxState, Topology } from "../protocol.ts";
import { capturePanes } from "../tmux/capture.ts";
import type { ChangeFeed } from "../tmux/change-feed.ts";
import { PaneNotFound, TmuxServerNotRunning } from "../tmux/errors.ts";
import type { TmuxRuntime } from "../tmux/runtime.ts";
import { readSnapshot } from "../tmux/snapshot.ts";
import { allPanes, filterSessions, readTopology } from "../tmux/topology.ts";
import { normalizeLines } from "../ansi.ts";
import { AdaptivePoller } from "./adaptive-poller.ts";
import { diffFrames } from "./diff.ts";
import { frameHash } from "./hash.ts";

export interface TrackerOptions {
  mode: "push" | "poll";
  sessions: readonly string[];
  userOptions: readonly string[];
  colors: boolean;
  /** A pane printing non-stop is captured at most once per this interval (trailing edge kept). */
  frameIntervalMs: number;
  /** While output flows, titles and commands are re-read at most this often. */
  topologyRefreshMs: number;
  poll: { baseIntervalMs: number; maxIntervalMs: number; noChangeThreshold: number };
  /** Most panes tracked; frames of panes past it are not kept. */
  maxPanes: number;
}

export interface Frame {
  lines: string[];
  text: string;
  seq: number;
  hash: number;
  width: number;
  height: number;
}

export interface TrackerEvents {
  update: [PaneUpdate];
  removed: [string];
  topology: [Topology];
  state: [TmuxState];
}

/**
 * Keeps the current screen of every watched pane. Push mode: the change feed says which pane is dirty,
 * and all dirty panes are captured together in one tmux call, at most once per frame interval, the
 * last change always delivered. Poll mode: the AdaptivePoller drives batched snapshots. Either way each
 * change becomes a seq-numbered delta against the previous frame, and unchanged panes send nothing.
 */
export class PaneTracker extends EventEmitter<TrackerEvents> {
  private readonly runtime: TmuxRuntime;
  private readonly feed: ChangeFeed | null;
  private readonly opts: TrackerOptions;
  private readonly frames = new Map<string, Frame>();
  private panes = new Map<string, PaneInfo>();
  private _topology: Topology = { sessions: [] };
  private topologyJson = "";
  private seqCounter = 0;
  private readonly dirty = new Set<string>();
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing = false;
  private lastFlushAt = -Infinity;
  private topoTimer: NodeJS.Timeout | null = null;
  private topoRunning: Promise<void> | null = null;
  private topoAgain = false;
  private lastTopoAt = 0;
  private pollTimer: NodeJS.Timeout | null = null;
  private readonly poller: AdaptivePoller;
  private stopped = false;
  private _state: TmuxState = "down";
  readonly stats = { captures: 0, capturedPanes: 0, capturedBytes: 0, updates: 0, unchanged: 0 };

  constructor(runtime: TmuxRuntime, feed: ChangeFeed | null, opts: TrackerOptions) {
    super();
    this.runtime = runtime;
    this.feed = feed;
    this.opts = opts;
    this.poller = new AdaptivePoller(opts.poll.baseIntervalMs, opts.poll.maxIntervalMs, opts.poll.noChangeThreshold);
  }

  get topology(): Topology {
    return this._topology;
  }

  get state(): TmuxState {
    return this._state;
  }

  get pollIntervalMs(): number {
    return this.poller.currentIntervalMs;
  }

  pane(id: string): PaneInfo | undefined {
    return this.panes.get(id);
  }

  frame(id: string): Frame | undefined {
    return this.frames.get(id);
  }

  /** The current frame of a pane as a full update (seq unchanged). */
  fullUpdate(id: string): PaneUpdate | null {
    const f = this.frames.get(id);
    if (!f) return null;
    return { pane: id, seq: f.seq, base: 0, delta: { kind: "full", lines: f.lines }, hash: f.hash, width: f.width, height: f.height };
  }

  async start(): Promise<void> {
    if (this.opts.mode === "poll" || !this.feed) {
      await this.pollOnce();
      return;
    }
    this.feed.on("output", (pane) => this.onOutput(pane));
    this.feed.on("structure", () => this.scheduleTopology(15));
    // Read a newly watched session's panes again: output before its control client attached was not reported.
    this.feed.on("attached", (sessionId) => {
      for (const p of this.panes.values()) if (p.sessionId === sessionId) this.markDirty(p.id);
    });
    this.feed.on("state", (s) => {
      this.setState(s);
      if (s === "down") this.applyTopology({ sessions: [] });
    });
    await this.feed.start();
    await this.refreshTopology();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of [this.flushTimer, this.topoTimer, this.pollTimer]) if (t) clearTimeout(t);
    await this.feed?.stop();
    await this.topoRunning?.catch(() => {});
  }

  /** Scrollback above the visible screen, for the focused view. */
  async history(id: string, lines: number): Promise<string[]> {
    const got = await capturePanes(this.runtime, [id], { colors: this.opts.colors, historyLines: lines, historyOnly: true });
    const h = got.get(id);
    if (!h) throw new PaneNotFound(id);
    return this.opts.colors ? normalizeLines(h) : h;
  }

  private onOutput(pane: string): void {
    if (!this.panes.has(pane)) {
      // Output from a pane the topology does not know yet (just split): learn about it first.
      this.scheduleTopology(0);
      return;
    }
    this.markDirty(pane);
    // Titles and commands change with output (an agent sets its title as it starts). Read them again at
    // most once per refresh interval, and always once after a burst (trailing edge), so a pane that
    // changed its title and then went quiet is not left with the old one.
    if (!this.topoTimer && !this.topoRunning) {
      this.scheduleTopology(Math.max(1, this.lastTopoAt + this.opts.topologyRefreshMs - performance.now()));
    }
  }

  private markDirty(pane: string): void {
    this.dirty.add(pane);
    this.scheduleFlush();
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
    const ids = [...this.dirty].filter((id) => this.panes.has(id));
    this.dirty.clear();
    try {
      if (ids.length > 0) {
        const got = await capturePanes(this.runtime, ids, { colors: this.opts.colors });
        this.stats.captures++;
        for (const [id, lines] of got) if (lines) this.ingest(id, lines);
      }
    } catch (err) {
      if (err instanceof TmuxServerNotRunning) this.setState("down");
    } finally {
      this.flushing = false;
      if (this.dirty.size > 0) this.scheduleFlush();
    }
  }

  /** Compares a captured screen with the last frame; emits a delta when it changed. */
  private ingest(id: string, captured: string[]): boolean {
    const info = this.panes.get(id);
    if (!info) return false;
    const lines = this.opts.colors ? normalizeLines(captured) : captured;
    this.stats.capturedPanes++;
    const text = lines.join("\n");
    this.stats.capturedBytes += text.length;
    const prev = this.frames.get(id);
    if (prev && prev.text === text && prev.width === info.width && prev.height === info.height) {
      this.stats.unchanged++;
      return false;
    }
    if (!prev && this.frames.size >= this.opts.maxPanes) return false;
    const seq = ++this.seqCounter;
    const hash = frameHash(lines);
    const delta = prev ? diffFrames(prev.lines, lines) : { kind: "full" as const, lines };
    this.frames.set(id, { lines, text, seq, hash, width: info.width, height: info.height });
    this.stats.updates++;
    this.emit("update", { pane: id, seq, base: prev?.seq ?? 0, delta, hash, width: info.width, height: info.height });
    return true;
  }

  private scheduleTopology(delayMs: number): void {
    if (this.stopped) return;
    if (this.topoTimer) {
      if (delayMs > 0) return;
      clearTimeout(this.topoTimer);
    }
    this.topoTimer = setTimeout(() => {
      this.topoTimer = null;
      void this.refreshTopology();
    }, delayMs);
  }

  private refreshTopology(): Promise<void> {
    if (this.topoRunning) {
      this.topoAgain = true;
      return this.topoRunning;
    }
    this.topoRunning = (async () => {
      try {
        this.lastTopoAt = performance.now();
        const topo = await readTopology(this.runtime, this.opts.userOptions);
        this.applyTopology(topo);
      } catch (err) {
        if (err instanceof TmuxServerNotRunning) this.applyTopology({ sessions: [] });
      }
    })().finally(() => {
      this.topoRunning = null;
      if (this.topoAgain) {
        this.topoAgain = false;
        this.scheduleTopology(0);
      }
    });
    return this.topoRunning;
  }

  /** Installs a new topology: emits it when it changed, drops panes that went, marks new or resized ones dirty. */
  private applyTopology(raw: Topology): string[] {
    const topo = filterSessions(raw, this.opts.sessions);
    const next = new Map(allPanes(topo).slice(0, this.opts.maxPanes).map((p) => [p.id, p]));
    const prev = this.panes;
    this.panes = next;
    for (const id of prev.keys()) {
      if (!next.has(id)) {
        this.frames.delete(id);
        this.dirty.delete(id);
        this.emit("removed", id);
      }
    }
    const fresh: string[] = [];
    for (const [id, p] of next) {
      const old = prev.get(id);
      if (!old || old.width !== p.width || old.height !== p.height || !this.frames.has(id)) fresh.push(id);
    }
    const json = JSON.stringify(topo);
    if (json !== this.topologyJson) {
      this.topologyJson = json;
      this._topology = topo;
      this.emit("topology", topo);
    }
    if (this.opts.mode === "push") for (const id of fresh) this.markDirty(id);
    return fresh;
  }

  private async pollOnce(): Promise<void> {
    if (this.stopped) return;
    let changed = false;
    try {
      const snap = await readSnapshot(this.runtime, [...this.panes.keys()], this.opts.userOptions, { colors: this.opts.colors });
      this.setState(snap.topology.sessions.length > 0 ? "up" : "down");
      const before = this.topologyJson;
      this.applyTopology(snap.topology);
      changed = before !== this.topologyJson;
      for (const [id, lines] of snap.frames) if (lines && this.ingest(id, lines)) changed = true;
    } catch (err) {
      // No server: nothing to show until it is back. Anything else (a timeout): try again next tick.
      if (err instanceof TmuxServerNotRunning) {
        this.setState("down");
        this.applyTopology({ sessions: [] });
      }
    } finally {
      if (changed) this.poller.onChange();
      else this.poller.onNoChange();
      if (!this.stopped) {
        this.pollTimer = setTimeout(() => {
          this.pollTimer = null;
          void this.pollOnce();
        }, this.poller.currentIntervalMs);
      }
    }
  }

  private setState(s: TmuxState): void {
    if (s === this._state) return;
    this._state = s;
    this.emit("state", s);
  }
}
