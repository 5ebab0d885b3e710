import { LRUCache } from "lru-cache";
import { normalizeLines, type NormalizedLine } from "../ansi.ts";
import type { PaneUpdate } from "../protocol.ts";
import type { RowRange, ScreenState } from "../tmux/screen-rows.ts";
import { diffFrames } from "./diff.ts";
import { frameHash } from "./hash.ts";

export interface Frame {
  lines: string[];
  text: string;
  seq: number;
  hash: number;
  width: number;
  height: number;
  /** The screen's state read with these lines, when it was: what lets the next read take only changed rows. */
  state?: ScreenState;
}

export interface FrameStoreOptions {
  /** Captures carry colours (`-e`): normalise their escape sequences before comparing. */
  colors: boolean;
  /** Most panes with a frame; a new pane past it is not kept. */
  maxPanes: number;
  /** The seq before the first update (default 0). */
  firstSeq?: number;
}

/**
 * The current screen of every pane, and the sequence numbers of their changes. A captured screen
 * equal to the last one (text and size) is dropped here, so nothing downstream runs for it; a
 * changed one becomes a seq-numbered update: a line diff against the previous frame, or the whole
 * screen for a pane seen for the first time.
 */
export class FrameStore {
  private readonly opts: FrameStoreOptions;
  private readonly frames = new Map<string, Frame>();
  private seqCounter = 0;
  /**
   * Normalised lines by entering style and raw line: a busy pane's new capture is mostly the lines
   * of its last one, a row higher, so only its new lines are parsed. Bounded by characters held.
   */
  private readonly normalized = new LRUCache<string, NormalizedLine>({
    maxSize: 4_000_000,
    sizeCalculation: (v, k) => k.length + v.line.length + 64,
  });
  readonly stats = { capturedPanes: 0, capturedBytes: 0, updates: 0, unchanged: 0 };

  constructor(opts: FrameStoreOptions) {
    this.opts = opts;
    this.seqCounter = opts.firstSeq ?? 0;
  }

  get size(): number {
    return this.frames.size;
  }

  get(id: string): Frame | undefined {
    return this.frames.get(id);
  }

  has(id: string): boolean {
    return this.frames.has(id);
  }

  delete(id: string): void {
    this.frames.delete(id);
  }

  /** Takes a captured screen; returns the update to send when it differs from the last frame. */
  ingest(id: string, captured: string[], size: { width: number; height: number }, state?: ScreenState): PaneUpdate | null {
    const lines = this.opts.colors ? normalizeLines(captured, this.normalized) : captured;
    return this.take(id, lines, size, state);
  }

  /**
   * Takes the changed rows `range.start..range.end` of a screen from `rows`, rows read from row
   * `rowsStart` on (alone, so the first enters in the default style), the rest being the last frame's
   * rows moved up by `range.shift`; false when they do not fit (the caller reads the screen whole).
   */
  ingestRows(id: string, range: RowRange, rows: string[], rowsStart: number, size: { width: number; height: number }, state: ScreenState): { update: PaneUpdate | null } | false {
    const prev = this.frames.get(id);
    if (!prev || !prev.state || prev.width !== size.width || prev.height !== size.height || prev.lines.length !== size.height) return false;
    if (range.start < rowsStart || range.end >= rowsStart + rows.length || range.end >= size.height) return false;
    // Normalised together: a row's colours can come from the rows above it in the same read.
    const fresh = this.opts.colors ? normalizeLines(rows, this.normalized) : rows;
    const lines = prev.lines.slice(range.shift);
    while (lines.length < size.height) lines.push("");
    for (let y = range.start; y <= range.end; y++) lines[y] = fresh[y - rowsStart]!;
    return { update: this.take(id, lines, size, state) };
  }

  private take(id: string, lines: string[], size: { width: number; height: number }, state: ScreenState | undefined): PaneUpdate | null {
    this.stats.capturedPanes++;
    const text = lines.join("\n");
    this.stats.capturedBytes += text.length;
    const prev = this.frames.get(id);
    if (prev && prev.text === text && prev.width === size.width && prev.height === size.height) {
      this.stats.unchanged++;
      // Same rows, but the history may have grown (a line scrolled out as an equal one came in).
      prev.state = state;
      return null;
    }
    if (!prev && this.frames.size >= this.opts.maxPanes) return null;
    const seq = ++this.seqCounter;
    const hash = frameHash(lines);
    const delta = prev ? diffFrames(prev.lines, lines) : { kind: "full" as const, lines };
    this.frames.set(id, { lines, text, seq, hash, width: size.width, height: size.height, state });
    this.stats.updates++;
    return { pane: id, seq, base: prev?.seq ?? 0, delta, hash, width: size.width, height: size.height };
  }

  /** The current frame of a pane as a full update (seq unchanged). */
  fullUpdate(id: string): PaneUpdate | null {
    const f = this.frames.get(id);
    if (!f) return null;
    return { pane: id, seq: f.seq, base: 0, delta: { kind: "full", lines: f.lines }, hash: f.hash, width: f.width, height: f.height };
  }
}
