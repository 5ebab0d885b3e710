import { stripAnsi } from "../ansi.ts";
import { log } from "../log.ts";
import type { FrameRecord } from "./records.ts";
import type { IndexedLine, SearchIndex } from "./search-index.ts";
import { readSegment, type Segment } from "./segments.ts";

/** Lines remembered per pane to skip a line that is only redrawn (a spinner's row, a status bar). */
const RECENT_PER_PANE = 256;

/** What a pane's records say about it so far: who it belonged to, its agent's state, lines just seen. */
interface PaneState {
  session: string;
  agent: string;
  state: string;
  recent: Set<string>;
}

const fresh = (): PaneState => ({ session: "", agent: "", state: "", recent: new Set() });

/**
 * Turns recorded records into indexed lines: each line that appears on a screen (a keyframe's
 * lines, a delta's set lines) once, not again while the pane still shows it; who printed it from
 * the segment's keyframe, the agent's state from the state marks. The index is fed only from what
 * reached the disk, so it never holds a line that playback cannot show.
 */
export function linesOf(pane: string, st: PaneState, records: readonly FrameRecord[], out: IndexedLine[]): void {
  for (const r of records) {
    if (r.t === "m") {
      if (r.state) st.state = r.state;
      continue;
    }
    let lines: readonly string[];
    if (r.t === "k") {
      st.session = r.session;
      st.agent = r.agent;
      if (r.state) st.state = r.state;
      lines = r.lines;
    } else {
      lines = r.delta.kind === "full" ? r.delta.lines : r.delta.set.map(([, l]) => l);
    }
    for (const raw of lines) {
      const text = stripAnsi(raw).trim();
      if (text.length < 2 || st.recent.has(text)) continue;
      st.recent.add(text);
      if (st.recent.size > RECENT_PER_PANE) st.recent.delete(st.recent.values().next().value!);
      out.push({ pane, session: st.session, agent: st.agent, state: st.state, at: r.at, seq: r.seq, text });
    }
  }
}

/** Feeds the index with what the recorder writes, and with what it wrote before a restart. */
export class IndexFeed {
  private readonly live = new Map<string, PaneState>();
  private stopped = false;
  /** Segments read back from disk at start (none when the index was up to date). */
  readonly stats = { segmentsRead: 0 };

  constructor(private readonly index: SearchIndex) {}

  /** Records just appended to a pane's segment (the recorder's flush). */
  written(batch: ReadonlyMap<string, readonly FrameRecord[]>): void {
    const out: IndexedLine[] = [];
    const progress = new Map<string, { at: number; seq: number }>();
    for (const [pane, records] of batch) {
      let st = this.live.get(pane);
      if (!st) this.live.set(pane, (st = fresh()));
      // A new segment starts with a keyframe: who owns the pane comes from it.
      linesOf(pane, st, records, out);
      const last = records[records.length - 1];
      if (last) progress.set(pane, { at: last.at, seq: last.seq });
    }
    this.index.add(out, progress);
  }

  /** The pane went: its next screen is indexed whole again. */
  forget(pane: string): void {
    this.live.delete(pane);
  }

  stop(): void {
    this.stopped = true;
  }

  /**
   * At start: drops what the index holds of recordings deleted while the server was down, then
   * indexes the records written after each pane's progress, oldest segment first, one segment per
   * turn of the event loop. With the index kept on disk this is the tail the last run had not
   * indexed; only a new or rebuilt index reads every segment.
   */
  async catchUp(catalog: { panes(): string[]; segments(pane: string): readonly Segment[] }): Promise<void> {
    const panes = new Set(catalog.panes());
    for (const pane of this.index.panes()) if (!panes.has(pane)) this.index.dropPane(pane);
    const todo: Array<{ seg: Segment; after: { at: number; seq: number } | null }> = [];
    for (const pane of panes) {
      const segs = catalog.segments(pane);
      if (segs.length === 0) continue;
      this.index.dropBefore(pane, segs[0]!.startAt);
      const after = this.index.progressOf(pane);
      for (const seg of segs) if (seg.closed && (!after || isAfter(seg.endAt, seg.endSeq, after))) todo.push({ seg, after });
    }
    todo.sort((a, b) => a.seg.startAt - b.seg.startAt);
    // Kept across a pane's segments: a keyframe repeats the screen, whose lines were indexed already.
    const states = new Map<string, PaneState>();
    for (const { seg, after } of todo) {
      await new Promise<void>((r) => setImmediate(r));
      if (this.stopped) return;
      try {
        const records = await readSegment(seg);
        this.stats.segmentsRead++;
        if (this.stopped) return;
        let st = states.get(seg.pane);
        if (!st) states.set(seg.pane, (st = fresh()));
        const out: IndexedLine[] = [];
        // The records up to the progress only set the pane's state; those after it are indexed.
        const cut = after ? records.findIndex((r) => isAfter(r.at, r.seq, after)) : 0;
        if (cut === -1) continue;
        linesOf(seg.pane, st, records.slice(0, cut), []);
        linesOf(seg.pane, st, records.slice(cut), out);
        const last = records[records.length - 1]!;
        this.index.add(out, new Map([[seg.pane, { at: last.at, seq: last.seq }]]));
      } catch (err) {
        // Deleted by the bounds meanwhile, or unreadable: not searchable, nothing else lost.
        log.debug({ err, file: seg.file }, "recording segment not indexed");
      }
    }
  }
}

function isAfter(at: number, seq: number, p: { at: number; seq: number }): boolean {
  return at > p.at || (at === p.at && seq > p.seq);
}
