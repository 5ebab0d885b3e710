import type { TrackerPort } from "../panes/node-view.ts";
import type { PaneUpdate } from "../protocol.ts";
import { keys } from "./keys.ts";
import type { Redis } from "./redis.ts";

/** A pane's current frame as kept in Redis (one hash field per pane, so bounded by the pane count). */
export interface StoredFrame {
  seq: number;
  lines: string[];
  hash: number;
  width: number;
  height: number;
}

/** What the update stream carries: n = node, k = kind, d = JSON data. */
export type StreamKind = "u" | "t" | "x" | "r";

/**
 * Publishes this node's panes: every update to the stream (trimmed, `MAXLEN ~`) and the pane's
 * current frame to its hash field; the topology to its key and the stream. A write that fails (Redis
 * down) marks the node out of step; when Redis is back, `resync` rewrites the whole state and tells
 * the other nodes to reload it.
 */
export class Publisher {
  private _outOfStep = true;

  /** A write failed (or none was made yet): the next `resync` must rewrite the whole state. */
  get outOfStep(): boolean {
    return this._outOfStep;
  }

  constructor(
    private readonly redis: Redis,
    private readonly tracker: Pick<TrackerPort, "on" | "topology" | "frame">,
    private readonly node: string,
    private readonly maxlen: number,
  ) {
    tracker.on("update", (u) => this.onUpdate(u));
    tracker.on("removed", (pane) => this.write((m) => m.hDel(keys.frames(node), pane).xAdd(keys.updates, "*", this.entry("x", pane), this.trim())));
    tracker.on("topology", (t) => this.write((m) => m.set(keys.topology(node), JSON.stringify(t)).xAdd(keys.updates, "*", this.entry("t", t), this.trim())));
  }

  /** Writes the whole current state, then an `r` entry: every node reloads this node from the keys. */
  async resync(): Promise<void> {
    const frames: Record<string, string> = {};
    for (const p of this.panes()) {
      const f = this.stored(p);
      if (f) frames[p] = JSON.stringify(f);
    }
    const m = this.redis.multi().del(keys.frames(this.node)).set(keys.topology(this.node), JSON.stringify(this.tracker.topology));
    if (Object.keys(frames).length > 0) m.hSet(keys.frames(this.node), frames);
    m.xAdd(keys.updates, "*", this.entry("r", null), this.trim());
    await m.exec();
    this._outOfStep = false;
  }

  /** Removes this node's state (a clean stop; the node list keeps it until it is dropped). */
  async withdraw(): Promise<void> {
    await this.redis.del([keys.frames(this.node)]).catch(() => {});
  }

  private panes(): string[] {
    return this.tracker.topology.sessions.flatMap((s) => s.windows.flatMap((w) => w.panes.map((p) => p.id)));
  }

  private stored(pane: string): StoredFrame | null {
    const f = this.tracker.frame(pane);
    return f ? { seq: f.seq, lines: f.lines, hash: f.hash, width: f.width, height: f.height } : null;
  }

  private onUpdate(u: PaneUpdate): void {
    const f = this.stored(u.pane);
    if (!f) return;
    this.write((m) => m.hSet(keys.frames(this.node), u.pane, JSON.stringify(f)).xAdd(keys.updates, "*", this.entry("u", u), this.trim()));
  }

  private write(build: (m: ReturnType<Redis["multi"]>) => ReturnType<Redis["multi"]>): void {
    // Out of step: the next resync writes everything; single writes until then would only be overwritten.
    if (this._outOfStep || !this.redis.isReady) {
      this._outOfStep = true;
      return;
    }
    build(this.redis.multi())
      .exec()
      .catch(() => {
        this._outOfStep = true;
      });
  }

  private entry(k: StreamKind, d: unknown): Record<string, string> {
    return { n: this.node, k, d: JSON.stringify(d) };
  }

  private trim() {
    return { TRIM: { strategy: "MAXLEN" as const, strategyModifier: "~" as const, threshold: this.maxlen } };
  }
}
