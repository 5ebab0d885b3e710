import path from "node:path";
import { stripAnsi } from "../ansi.ts";
import type { Config } from "../config.ts";
import { log } from "../log.ts";
import type { AgentStatus, PaneAlert, PaneInfo, PaneUpdate } from "../protocol.ts";
import { Playback, type Outline, type Position, type RecordedFrame, type RecordedStep } from "./playback.ts";
import { IndexFeed } from "./index-feed.ts";
import { Recorder } from "./recorder.ts";
import { SearchIndex, type IndexedLine, type SearchFilter } from "./search-index.ts";
import type { Segment } from "./segments.ts";

/** What the recorder reads from the tracker: updates, the frame after each, and who owns a pane. */
export interface RecordedSource {
  on(event: "update", fn: (u: PaneUpdate) => void): unknown;
  on(event: "removed", fn: (pane: string) => void): unknown;
  frame(pane: string): { lines: readonly string[] } | undefined;
  pane(pane: string): PaneInfo | undefined;
}

/** The agent monitor's events: state changes and alerts become marks on the timeline. */
export interface AgentSignals {
  on(event: "status", fn: (s: AgentStatus) => void): unknown;
  on(event: "alert", fn: (a: PaneAlert) => void): unknown;
}

export interface SearchHit extends IndexedLine {
  /** The lines around it on the screen at that moment (for the first results). */
  context?: string[];
}

/** Results given their screen context (each costs a rebuild, usually from the cache). */
const CONTEXT_RESULTS = 5;

/**
 * The flight recorder: writes every local pane's frames (Recorder), rebuilds any moment (Playback)
 * and indexes what was printed (SearchIndex, on disk beside the recordings). The index is fed from
 * what each flush wrote, so the streaming path only queues; at start it catches up, in the
 * background, with whatever the last run wrote and had not indexed, and forgets what the bounds
 * deleted meanwhile.
 */
export class FlightRecorder {
  readonly recorder: Recorder;
  readonly playback: Playback;
  readonly index: SearchIndex;
  readonly feed: IndexFeed;
  private indexing: Promise<void> = Promise.resolve();

  /**
   * `stateOf` and `signals` speak the agent layer's pane ids; `toLocal` turns one into the tracker's
   * (`alpha/%3` → `%3` in a cluster; null for another node's pane).
   */
  constructor(config: Config, source: RecordedSource, stateOf: (pane: string) => string, signals?: AgentSignals, toLocal: (pane: string) => string | null = (p) => p) {
    const r = config.recorder;
    const dir = path.join(config.data_dir, "recordings");
    this.recorder = new Recorder({
      dir,
      flushMs: r.flush_ms,
      keyframeMs: r.keyframe_seconds * 1000,
      keyframeBytes: r.keyframe_kb * 1024,
      limits: { maxAgeMs: r.max_age_hours * 3_600_000, maxPaneBytes: r.max_pane_mb * 1024 * 1024, maxTotalBytes: r.max_total_mb * 1024 * 1024 },
      maxQueued: r.max_queued,
      sessions: r.sessions,
      onWritten: (batch) =>
        this.guard("indexing", () => {
          this.feed.written(batch);
          this.index.enforceSize();
        }),
      onDropped: (seg) => this.guard("dropping from the index", () => this.dropped(seg)),
    });
    this.playback = new Playback(this.recorder, { cacheMb: r.playback_cache_mb });
    this.index = new SearchIndex(path.join(dir, "index.sqlite"), { cacheMb: r.index_cache_mb, maxMb: r.index_max_mb });
    this.feed = new IndexFeed(this.index);
    source.on("update", (u) => {
      const info = source.pane(u.pane);
      const frame = source.frame(u.pane);
      if (!info || !frame) return;
      this.recorder.record(u, frame.lines, { session: info.sessionName, agent: info.agentType, state: stateOf(u.pane) });
    });
    signals?.on("status", (st) => {
      const pane = toLocal(st.pane);
      if (pane) this.recorder.mark(pane, { state: st.state, line: st.line });
    });
    signals?.on("alert", (a) => {
      const pane = toLocal(a.pane);
      if (pane) this.recorder.mark(pane, { alert: a.kind, line: a.line });
    });
    source.on("removed", (pane) => {
      this.recorder.forget(pane);
      this.feed.forget(pane);
    });
  }

  start(): void {
    this.recorder.start();
    this.indexing = this.feed.catchUp(this.recorder).catch((err: unknown) => log.warn({ err }, "search index catch-up failed"));
  }

  async stop(): Promise<void> {
    this.feed.stop();
    await this.indexing;
    await this.recorder.stop();
    this.index.close();
  }

  /** Resolves when the index holds what was on disk at start (tests and the bench wait for it). */
  get indexed(): Promise<void> {
    return this.indexing;
  }

  frameAt(pane: string, pos: Position): Promise<RecordedFrame | null> {
    return this.playback.frameAt(pane, pos);
  }

  steps(pane: string, from: Position, limit: number, until?: number): ReturnType<Playback["steps"]> {
    return this.playback.steps(pane, from, limit, until);
  }

  outline(pane: string, since: number, until: number, maxFrames: number): Promise<Outline> {
    return this.playback.outline(pane, since, until, maxFrames);
  }

  async search(query: string, filter: SearchFilter, limit: number): Promise<SearchHit[]> {
    const hits: SearchHit[] = this.index.search(query, filter, limit);
    for (const h of hits.slice(0, CONTEXT_RESULTS)) {
      const f = await this.playback.frameAt(h.pane, { seq: h.seq }).catch(() => null);
      if (!f) continue;
      const i = f.lines.findIndex((l) => l.includes(h.text) || stripAnsi(l).includes(h.text));
      if (i !== -1) h.context = f.lines.slice(Math.max(0, i - 2), i + 3).map((l) => stripAnsi(l));
    }
    return hits;
  }

  /** A segment the bounds deleted: the pane's lines before its oldest remaining segment go too. */
  private dropped(seg: Segment): void {
    const left = this.recorder.segments(seg.pane);
    if (left.length === 0) this.index.dropPane(seg.pane);
    else this.index.dropBefore(seg.pane, left[0]!.startAt);
    this.index.enforceSize();
  }

  /** The index is derived data: a failure there is logged, and never stops recording. */
  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      log.warn({ err }, `search index: ${what} failed`);
    }
  }
}

export type { Position, RecordedFrame, RecordedStep };
