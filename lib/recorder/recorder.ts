import { mkdir, appendFile, unlink } from "node:fs/promises";
import path from "node:path";
import { log } from "../log.ts";
import type { PaneUpdate } from "../protocol.ts";
import { globToRegExp } from "../topology.ts";
import { encodeRecord, type FrameRecord } from "./records.ts";
import { segmentsToDrop, type RetentionLimits } from "./retention.ts";
import { closeSegment, openCatalog, openName, paneDir, type Segment } from "./segments.ts";

export interface RecorderOptions {
  /** The recordings directory (`recordings/` in the data directory). */
  dir: string;
  /** Queued records reach the disk at least this often: what a kill -9 can lose. */
  flushMs: number;
  /** A new segment, starting with a keyframe, after this long or this many bytes. */
  keyframeMs: number;
  keyframeBytes: number;
  limits: RetentionLimits;
  /** Most records waiting for the disk; past it a record is dropped and the pane's next one is a keyframe. */
  maxQueued: number;
  /** Session names or globs to record; empty: every session. */
  sessions: readonly string[];
  /** Told, after each flush, the records that reached the disk, per pane (the search index's feed). */
  onWritten?: (batch: ReadonlyMap<string, readonly FrameRecord[]>) => void;
  /** Told of each segment the bounds deleted. */
  onDropped?: (seg: Segment) => void;
}

/** Who a pane belonged to when a frame was recorded (session limits apply to recordings too). */
export interface PaneMeta {
  session: string;
  agent: string;
  state?: string;
}

/** A state change or an alert to put on the timeline. */
export interface Mark {
  state?: string;
  alert?: string;
  line?: string | null;
}

type Queued =
  | {
      u: PaneUpdate;
      at: number;
      /** The full screen after this update (the tracker's frame: never mutated, so no copy). */
      lines: readonly string[];
      meta: PaneMeta;
    }
  | { pane: string; at: number; mark: Mark };

const paneOf = (q: Queued): string => ("mark" in q ? q.pane : q.u.pane);

/** How often the bounds are enforced. */
const RETENTION_EVERY_MS = 5000;

/**
 * The flight recorder's writer. `record` only queues (no disk, no encoding on the streaming path);
 * a timer appends each pane's records to its open segment at least every `flushMs`, starts a new
 * segment with a keyframe every `keyframeMs` or `keyframeBytes`, compresses closed segments and
 * deletes the oldest ones past the bounds.
 */
export class Recorder {
  private readonly opts: RecorderOptions;
  private readonly catalog: Map<string, Segment[]>;
  private readonly sessionRes: RegExp[];
  private queue: Queued[] = [];
  /** Each pane's open segment and when its keyframe was taken. */
  private readonly open = new Map<string, { seg: Segment; keyAt: number }>();
  /** Panes whose next record must be a keyframe (a record was dropped, or the pane went). */
  private readonly needKey = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private lastRetention = 0;
  readonly stats = { records: 0, bytesWritten: 0, dropped: 0, segmentsDeleted: 0, writeErrors: 0 };

  constructor(opts: RecorderOptions) {
    this.opts = opts;
    this.sessionRes = opts.sessions.map(globToRegExp);
    this.catalog = openCatalog(opts.dir);
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.opts.flushMs);
    this.timer.unref();
  }

  /** Queues a changed screen; cheap and synchronous, called from the tracker's update event. */
  record(u: PaneUpdate, lines: readonly string[], meta: PaneMeta, at = Date.now()): void {
    if (this.sessionRes.length > 0 && !this.sessionRes.some((re) => re.test(meta.session))) return;
    if (paneDir(u.pane) === null) return;
    if (this.queue.length >= this.opts.maxQueued) {
      this.stats.dropped++;
      this.needKey.add(u.pane);
      return;
    }
    this.queue.push({ u, at, lines, meta });
  }

  /** Queues a state change or an alert of a pane (dropped when the pane has no open segment yet). */
  mark(pane: string, mark: Mark, at = Date.now()): void {
    if (paneDir(pane) === null || this.queue.length >= this.opts.maxQueued) return;
    this.queue.push({ pane, at, mark });
  }

  /** The pane went: its open segment is closed at the next flush. */
  forget(pane: string): void {
    this.needKey.add(pane);
    this.flushing = this.flushing.then(() => this.closeOpen(pane));
  }

  /** Every segment of a pane, oldest first (the open one last). */
  segments(pane: string): readonly Segment[] {
    return this.catalog.get(pane) ?? [];
  }

  /** Panes with recordings. */
  panes(): string[] {
    return [...this.catalog.keys()].filter((p) => (this.catalog.get(p)?.length ?? 0) > 0);
  }

  get totalBytes(): number {
    let n = 0;
    for (const segs of this.catalog.values()) for (const s of segs) n += s.bytes;
    return n;
  }

  /** Writes everything queued so far; resolves when it is on disk. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeQueued());
    return this.flushing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
    for (const pane of [...this.open.keys()]) await this.closeOpen(pane);
  }

  private async writeQueued(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    const byPane = new Map<string, Queued[]>();
    for (const q of batch) {
      const list = byPane.get(paneOf(q));
      if (list) list.push(q);
      else byPane.set(paneOf(q), [q]);
    }
    const written = new Map<string, FrameRecord[]>();
    for (const [pane, items] of byPane) {
      try {
        await this.writePane(pane, items, written);
      } catch (err) {
        this.stats.writeErrors++;
        this.needKey.add(pane);
        log.warn({ err, pane }, "recording write failed");
      }
    }
    if (written.size > 0) this.opts.onWritten?.(written);
    if (Date.now() - this.lastRetention >= RETENTION_EVERY_MS) await this.enforceBounds();
  }

  private async writePane(pane: string, items: Queued[], written: Map<string, FrameRecord[]>): Promise<void> {
    let text = "";
    let recs: FrameRecord[] = [];
    let cur = this.open.get(pane);
    const flushText = async (): Promise<void> => {
      if (!cur || text === "") return;
      await mkdir(path.dirname(cur.seg.file), { recursive: true, mode: 0o700 });
      await appendFile(cur.seg.file, text, { mode: 0o600 });
      const n = Buffer.byteLength(text);
      cur.seg.bytes += n;
      this.stats.bytesWritten += n;
      text = "";
      const done = written.get(pane);
      if (done) done.push(...recs);
      else written.set(pane, recs);
      recs = [];
    };
    for (const q of items) {
      if ("mark" in q) {
        if (cur && !this.needKey.has(pane)) {
          const m: FrameRecord = { t: "m", seq: cur.seg.endSeq, at: q.at, ...q.mark };
          text += encodeRecord(m);
          recs.push(m);
        }
        continue;
      }
      const { u, at } = q;
      const keyframe =
        !cur || this.needKey.has(pane) || u.base === 0 || u.base !== cur.seg.endSeq || at - cur.keyAt >= this.opts.keyframeMs || cur.seg.bytes + text.length >= this.opts.keyframeBytes;
      let rec: FrameRecord;
      if (keyframe) {
        await flushText();
        if (cur) await this.closeOpen(pane);
        this.needKey.delete(pane);
        const seg: Segment = { pane, file: path.join(this.opts.dir, paneDir(pane)!, openName(at, u.seq)), startAt: at, startSeq: u.seq, endAt: at, endSeq: u.seq, bytes: 0, closed: false };
        cur = { seg, keyAt: at };
        this.open.set(pane, cur);
        const segs = this.catalog.get(pane) ?? [];
        segs.push(seg);
        this.catalog.set(pane, segs);
        rec = { t: "k", seq: u.seq, at, w: u.width, h: u.height, lines: [...q.lines], session: q.meta.session, agent: q.meta.agent, ...(q.meta.state ? { state: q.meta.state } : {}) };
      } else {
        rec = { t: "d", seq: u.seq, at, w: u.width, h: u.height, delta: u.delta };
      }
      text += encodeRecord(rec);
      recs.push(rec);
      cur!.seg.endAt = at;
      cur!.seg.endSeq = u.seq;
      this.stats.records++;
    }
    await flushText();
  }

  private async closeOpen(pane: string): Promise<void> {
    const cur = this.open.get(pane);
    if (!cur) return;
    this.open.delete(pane);
    const segs = this.catalog.get(pane) ?? [];
    try {
      const closed = await closeSegment(cur.seg);
      const i = segs.indexOf(cur.seg);
      if (i !== -1) segs[i] = closed;
    } catch (err) {
      // Left open on disk: the next start-up repairs and closes it.
      this.stats.writeErrors++;
      log.warn({ err, pane }, "closing a recording segment failed");
      const i = segs.indexOf(cur.seg);
      if (i !== -1) segs[i] = { ...cur.seg, closed: false };
    }
  }

  /** Deletes the oldest segments past the age and size bounds. */
  async enforceBounds(now = Date.now()): Promise<void> {
    this.lastRetention = now;
    for (const s of segmentsToDrop(this.catalog, now, this.opts.limits)) {
      const segs = this.catalog.get(s.pane);
      if (segs) {
        const i = segs.indexOf(s);
        if (i !== -1) segs.splice(i, 1);
        if (segs.length === 0) this.catalog.delete(s.pane);
      }
      this.stats.segmentsDeleted++;
      await unlink(s.file).catch(() => undefined);
      this.opts.onDropped?.(s);
    }
  }
}
