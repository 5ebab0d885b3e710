import path from "node:path";
import { stripAnsi } from "../ansi.ts";
import type { Config } from "../config.ts";
import { log } from "../log.ts";
import type { AgentStatus, PaneAlert, PaneInfo, PaneUpdate } from "../protocol.ts";
import { Playback, type Outline, type Position, type RecordedFrame, type RecordedStep } from "./playback.ts";
import { Recorder } from "./recorder.ts";
import { readSegment } from "./segments.ts";
import { SearchIndex, type IndexedLine, type SearchFilter } from "./search-index.ts";

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
 * and indexes what was printed (SearchIndex). Indexing runs in the flush, not on the update event,
 * so the streaming path only queues. At start the index is filled from the segments on disk in the
 * background, newest segments last, one segment per turn of the event loop.
 */
export class FlightRecorder {
  readonly recorder: Recorder;
  readonly playback: Playback;
  readonly index: SearchIndex;
  private readonly pending: Array<{ u: PaneUpdate; meta: Omit<IndexedLine, "id" | "text"> }> = [];
  private indexing: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly maxPending: number;
  private stopTick: () => void = () => undefined;

  /**
   * `stateOf` and `signals` speak the agent layer's pane ids; `toLocal` turns one into the tracker's
   * (`alpha/%3` → `%3` in a cluster; null for another node's pane).
   */
  constructor(config: Config, source: RecordedSource, stateOf: (pane: string) => string, signals?: AgentSignals, toLocal: (pane: string) => string | null = (p) => p) {
    const r = config.recorder;
    this.maxPending = r.max_queued;
    this.recorder = new Recorder({
      dir: path.join(config.data_dir, "recordings"),
      flushMs: r.flush_ms,
      keyframeMs: r.keyframe_seconds * 1000,
      keyframeBytes: r.keyframe_kb * 1024,
      limits: { maxAgeMs: r.max_age_hours * 3_600_000, maxPaneBytes: r.max_pane_mb * 1024 * 1024, maxTotalBytes: r.max_total_mb * 1024 * 1024 },
      maxQueued: r.max_queued,
      sessions: r.sessions,
    });
    this.playback = new Playback(this.recorder);
    this.index = new SearchIndex(r.index_lines);
    source.on("update", (u) => {
      const info = source.pane(u.pane);
      const frame = source.frame(u.pane);
      if (!info || !frame) return;
      this.recorder.record(u, frame.lines, { session: info.sessionName, agent: info.agentType, state: stateOf(u.pane) });
      if (this.pending.length < this.maxPending) {
        this.pending.push({ u, meta: { pane: u.pane, session: info.sessionName, agent: info.agentType, state: stateOf(u.pane), at: Date.now(), seq: u.seq } });
      }
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
      this.index.forget(pane);
    });
  }

  start(): void {
    this.recorder.start();
    const tick = setInterval(() => this.indexPending(), 1000);
    tick.unref();
    this.stopTick = () => clearInterval(tick);
    this.indexing = this.indexFromDisk();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopTick();
    await this.indexing;
    await this.recorder.stop();
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
    this.indexPending();
    const hits: SearchHit[] = this.index.search(query, filter, limit);
    for (const h of hits.slice(0, CONTEXT_RESULTS)) {
      const f = await this.playback.frameAt(h.pane, { seq: h.seq }).catch(() => null);
      if (!f) continue;
      const i = f.lines.findIndex((l) => l.includes(h.text) || stripAnsi(l).includes(h.text));
      if (i !== -1) h.context = f.lines.slice(Math.max(0, i - 2), i + 3).map((l) => stripAnsi(l));
    }
    return hits;
  }

  private indexPending(): void {
    for (const p of this.pending.splice(0)) this.index.add(p.meta, p.u.delta);
  }

  /** Fills the index from recorded segments, one per turn, so start-up and streaming never wait. */
  private async indexFromDisk(): Promise<void> {
    const all = this.recorder.panes().flatMap((p) => this.recorder.segments(p).filter((s) => s.closed));
    all.sort((a, b) => a.startAt - b.startAt);
    for (const seg of all) {
      if (this.stopped) return;
      await new Promise<void>((r) => setImmediate(r));
      try {
        let session = "";
        let agent = "";
        for (const rec of await readSegment(seg)) {
          if (rec.t === "m") continue;
          if (rec.t === "k") ({ session, agent } = rec);
          const delta = rec.t === "k" ? { kind: "full" as const, lines: rec.lines } : rec.delta;
          this.index.add({ pane: seg.pane, session, agent, state: "", at: rec.at, seq: rec.seq }, delta);
        }
      } catch (err) {
        // Deleted by the bounds meanwhile, or unreadable: not searchable, nothing else lost.
        log.debug({ err, file: seg.file }, "recording segment not indexed");
      }
    }
  }
}

export type { Position, RecordedFrame, RecordedStep };
