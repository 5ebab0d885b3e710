import { applyDelta } from "../panes/diff.ts";
import { frameHash } from "../panes/hash.ts";
import type { HelloPayload, PaneUpdate, SubscribeResult, Topology } from "../protocol.ts";

export interface MirroredPane {
  lines: string[];
  seq: number;
  hash: number;
  width: number;
  height: number;
  /** Lines that scrolled off the top while this client watched, oldest first (bounded). */
  scrolled: string[];
  /** How many lines ever scrolled off the top here (unbounded count, where `scrolled` is cut). */
  scrolledTotal: number;
  /** When this client last saw the screen change (ms since the epoch). */
  changedAt: number;
}

export type ApplyResult = "applied" | "stale" | "gap" | "mismatch";

/**
 * A client's copy of the server's state: the topology and every pane's screen. Applies deltas in seq
 * order, verifies each result against the server's hash, and reports a gap or mismatch so the caller
 * can ask for the pane again. Socket-free: the browser and the Node client use the same mirror.
 */
export class FleetMirror {
  epoch: string | null = null;
  topology: Topology = { sessions: [] };
  private readonly panes = new Map<string, MirroredPane>();
  private readonly listeners = new Set<() => void>();
  private readonly paneListeners = new Map<string, Set<() => void>>();
  private readonly paneVersions = new Map<string, number>();
  private version = 0;
  private readonly maxScrollback: number;

  constructor(opts: { maxScrollback?: number } = {}) {
    this.maxScrollback = opts.maxScrollback ?? 2000;
  }

  get snapshotVersion(): number {
    return this.version;
  }

  pane(id: string): MirroredPane | undefined {
    return this.panes.get(id);
  }

  paneVersion(id: string): number {
    return this.paneVersions.get(id) ?? 0;
  }

  paneIds(): string[] {
    return [...this.panes.keys()];
  }

  /** What this client holds, for resuming after a reconnect. */
  have(): { epoch: string; seqs: Record<string, number> } | undefined {
    if (!this.epoch) return undefined;
    const seqs: Record<string, number> = {};
    for (const [id, p] of this.panes) seqs[id] = p.seq;
    return { epoch: this.epoch, seqs };
  }

  hello(h: HelloPayload): void {
    if (this.epoch !== null && this.epoch !== h.epoch) {
      // Another server instance: its seqs mean nothing here.
      for (const id of [...this.panes.keys()]) this.dropPane(id);
    }
    this.epoch = h.epoch;
  }

  subscribed(r: SubscribeResult): string[] {
    this.setTopology(r.topology);
    const resync: string[] = [];
    for (const u of r.updates) {
      const res = this.apply(u);
      if (res === "gap" || res === "mismatch") resync.push(u.pane);
    }
    return resync;
  }

  setTopology(t: Topology): void {
    this.topology = t;
    const live = new Set(t.sessions.flatMap((s) => s.windows.flatMap((w) => w.panes.map((p) => p.id))));
    for (const id of [...this.panes.keys()]) if (!live.has(id)) this.dropPane(id);
    this.bump();
  }

  apply(u: PaneUpdate): ApplyResult {
    const cur = this.panes.get(u.pane);
    if (cur && u.seq <= cur.seq) return "stale";
    if (u.delta.kind !== "full" && (!cur || cur.seq !== u.base)) return "gap";
    const lines = applyDelta(cur?.lines ?? [], u.delta);
    if (frameHash(lines) !== u.hash) return "mismatch";
    let scrolled = cur?.scrolled ?? [];
    let scrolledTotal = cur?.scrolledTotal ?? 0;
    if (cur && u.delta.kind === "diff" && u.delta.shift > 0) {
      scrolledTotal += Math.min(u.delta.shift, cur.lines.length);
      scrolled = scrolled.concat(cur.lines.slice(0, u.delta.shift));
      if (scrolled.length > this.maxScrollback) scrolled = scrolled.slice(scrolled.length - this.maxScrollback);
    }
    this.panes.set(u.pane, { lines, seq: u.seq, hash: u.hash, width: u.width, height: u.height, scrolled, scrolledTotal, changedAt: Date.now() });
    this.bumpPane(u.pane);
    return "applied";
  }

  removed(pane: string): void {
    this.dropPane(pane);
    this.bump();
  }

  /** Listens to topology changes. */
  subscribe = (cb: () => void): (() => void) => {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  };

  /** Listens to one pane's screen. */
  subscribePane(id: string, cb: () => void): () => void {
    let set = this.paneListeners.get(id);
    if (!set) {
      set = new Set();
      this.paneListeners.set(id, set);
    }
    set.add(cb);
    return () => {
      set.delete(cb);
      if (set.size === 0) this.paneListeners.delete(id);
    };
  }

  private dropPane(id: string): void {
    if (!this.panes.delete(id)) return;
    this.bumpPane(id);
    this.paneVersions.delete(id);
  }

  private bump(): void {
    this.version++;
    for (const cb of this.listeners) cb();
  }

  private bumpPane(id: string): void {
    this.paneVersions.set(id, (this.paneVersions.get(id) ?? 0) + 1);
    const set = this.paneListeners.get(id);
    if (set) for (const cb of set) cb();
  }
}
