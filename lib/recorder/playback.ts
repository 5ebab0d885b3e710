import { LRUCache } from "lru-cache";
import { applyDelta } from "../panes/diff.ts";
import type { PaneDelta } from "../protocol.ts";
import type { DeltaRecord, FrameRecord, KeyRecord } from "./records.ts";
import { readSegment, readSegmentSized, type Segment } from "./segments.ts";

/** A screen as it was at one recorded moment. */
export interface RecordedFrame {
  pane: string;
  seq: number;
  at: number;
  width: number;
  height: number;
  lines: string[];
  session: string;
  agent: string;
}

/** One step of a page through history: the first of a page is a full frame, the rest deltas. */
export interface RecordedStep {
  seq: number;
  at: number;
  width: number;
  height: number;
  delta: PaneDelta;
}

/** Where to start: a seq (the frame with that seq, or the last before it) or a time (ms). */
export type Position = { seq: number } | { at: number };

export interface OutlineMark {
  seq: number;
  at: number;
  state?: string;
  alert?: string;
  line: string | null;
}

export interface Outline {
  frames: Array<[number, number]>;
  marks: OutlineMark[];
  startState: string;
  /** Lines that appeared or changed on screen in the range. */
  printed: number;
}

export interface SegmentSource {
  segments(pane: string): readonly Segment[];
}

/**
 * Rebuilds recorded screens: find the segment holding the moment, then apply its deltas to its
 * keyframe. Closed segments are decoded once and kept in an LRU bounded in bytes (rewinding steps
 * through the same segment over and over).
 */
export class Playback {
  private readonly source: SegmentSource;
  private readonly cache: LRUCache<string, FrameRecord[]>;

  constructor(source: SegmentSource, opts: { cacheMb: number } = { cacheMb: 64 }) {
    this.source = source;
    this.cache = new LRUCache<string, FrameRecord[]>({ maxSize: opts.cacheMb * 1024 * 1024 });
  }

  /** The screen at a position; null when nothing recorded for the pane is at or before it. */
  async frameAt(pane: string, pos: Position): Promise<RecordedFrame | null> {
    const seg = this.segmentFor(pane, pos);
    if (!seg) return null;
    const records = await this.records(seg);
    let frame: RecordedFrame | null = null;
    for (const r of records) {
      if (r.t === "m") continue;
      if ("seq" in pos ? r.seq > pos.seq : r.at > pos.at) break;
      frame = step(pane, frame, r);
    }
    return frame;
  }

  /**
   * Up to `limit` steps from a position (the frame at it first, whole), ending at `until` (ms);
   * `next` is where the following page starts, null at the end of what is recorded.
   */
  async steps(pane: string, from: Position, limit: number, until = Infinity): Promise<{ meta: { session: string; agent: string } | null; steps: RecordedStep[]; next: { seq: number; at: number } | null }> {
    const segs = this.source.segments(pane);
    let start = this.segmentFor(pane, from);
    if (!start && segs.length > 0 && ("seq" in from ? from.seq < segs[0]!.startSeq : from.at < segs[0]!.startAt)) start = segs[0]!;
    const out: RecordedStep[] = [];
    let meta: { session: string; agent: string } | null = null;
    if (!start) return { meta, steps: out, next: null };
    let frame: RecordedFrame | null = null;
    const full = (f: RecordedFrame): RecordedStep => ({ seq: f.seq, at: f.at, width: f.width, height: f.height, delta: { kind: "full", lines: f.lines.slice() } });
    for (let i = segs.indexOf(start); i >= 0 && i < segs.length; i++) {
      const records = await this.records(segs[i]!).catch(() => [] as FrameRecord[]);
      for (const r of records) {
        if (r.t === "m") continue;
        const before = frame;
        frame = step(pane, frame, r);
        meta ??= { session: frame.session, agent: frame.agent };
        // Up to the position the frames only rebuild the screen there.
        if ("seq" in from ? r.seq <= from.seq : r.at <= from.at) continue;
        if (out.length === 0 && before) out.push(full(before));
        if (r.at > until) return { meta, steps: out, next: null };
        if (out.length >= limit) return { meta, steps: out, next: { seq: r.seq, at: r.at } };
        out.push(out.length === 0 || r.t === "k" ? full(frame) : { seq: r.seq, at: r.at, width: r.w, height: r.h, delta: r.delta });
      }
    }
    // Nothing after the position: the frame at it is the whole answer.
    if (out.length === 0 && frame) out.push(full(frame));
    return { meta, steps: out, next: null };
  }

  /**
   * What a timeline draws for [since, until]: every recorded frame (seq, time), at most `maxFrames`
   * (the newest kept), the state changes and alerts, and the state at `since`.
   */
  async outline(pane: string, since: number, until: number, maxFrames: number): Promise<Outline> {
    const frames: Array<[number, number]> = [];
    const marks: OutlineMark[] = [];
    let startState = "";
    let printed = 0;
    for (const seg of this.source.segments(pane)) {
      if (seg.closed && seg.endAt < since) continue;
      if (seg.startAt > until) break;
      for (const r of await this.records(seg).catch(() => [] as FrameRecord[])) {
        if (r.at > until) break;
        const state = r.t === "k" ? r.state : r.t === "m" ? r.state : undefined;
        if (r.at < since) {
          if (state) startState = state;
          continue;
        }
        if (r.t === "m") marks.push({ seq: r.seq, at: r.at, ...(r.state ? { state: r.state } : {}), ...(r.alert ? { alert: r.alert } : {}), line: r.line ?? null });
        else {
          frames.push([r.seq, r.at]);
          if (r.t === "d") printed += r.delta.kind === "diff" ? r.delta.set.length : r.delta.lines.length;
          if (r.t === "k" && r.state && marks.length === 0 && !startState) startState = r.state;
        }
      }
    }
    return { frames: frames.slice(-maxFrames), marks, startState, printed };
  }

  /** The newest segment that starts at or before the position. */
  private segmentFor(pane: string, pos: Position): Segment | null {
    const segs = this.source.segments(pane);
    for (let i = segs.length - 1; i >= 0; i--) {
      const s = segs[i]!;
      if ("seq" in pos ? s.startSeq <= pos.seq && pos.seq <= s.endSeq : s.startAt <= pos.at) return s;
    }
    if ("seq" in pos) {
      // Not inside any segment: the last one that ended before it.
      for (let i = segs.length - 1; i >= 0; i--) if (segs[i]!.endSeq < pos.seq) return segs[i]!;
    }
    return null;
  }

  private async records(seg: Segment): Promise<FrameRecord[]> {
    if (!seg.closed) return readSegment(seg);
    const hit = this.cache.get(seg.file);
    if (hit) return hit;
    const { records, chars } = await readSegmentSized(seg);
    // Decoded records take about twice their text (UTF-16 strings), plus the objects around them.
    const size = chars * 3;
    if (size <= this.cache.maxSize) this.cache.set(seg.file, records, { size });
    return records;
  }
}

function step(pane: string, prev: RecordedFrame | null, r: KeyRecord | DeltaRecord): RecordedFrame {
  if (r.t === "k") return { pane, seq: r.seq, at: r.at, width: r.w, height: r.h, lines: r.lines, session: r.session, agent: r.agent };
  const lines = applyDelta(prev?.lines ?? [], r.delta);
  return { pane, seq: r.seq, at: r.at, width: r.w, height: r.h, lines, session: prev?.session ?? "", agent: prev?.agent ?? "" };
}
