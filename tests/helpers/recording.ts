import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { FrameStore } from "../../lib/panes/frame-store.ts";
import type { PaneUpdate } from "../../lib/protocol.ts";
import { Recorder, type RecorderOptions } from "../../lib/recorder/recorder.ts";

export function scratchDir(): string {
  return mkdtempSync(path.join(tmpdir(), "panecast-rec-"));
}

export function recorderAt(dir: string, over: Partial<RecorderOptions> = {}): Recorder {
  return new Recorder({
    dir,
    flushMs: 50,
    keyframeMs: 3_600_000,
    keyframeBytes: 1 << 20,
    limits: { maxAgeMs: 86_400_000, maxPaneBytes: 64 << 20, maxTotalBytes: 1 << 30 },
    maxQueued: 100_000,
    sessions: [],
    ...over,
  });
}

/**
 * A pane that prints: each step scrolls the screen by one or two lines and rewrites its status row,
 * through the real FrameStore (so the deltas are the ones the tracker sends). Deterministic.
 */
export class PrintingPane {
  readonly store = new FrameStore({ colors: false, maxPanes: 100 });
  private n = 0;
  private screen: string[];

  constructor(
    readonly pane: string,
    readonly height = 12,
  ) {
    this.screen = Array.from({ length: height }, () => "");
  }

  step(): { u: PaneUpdate; lines: string[] } {
    this.n++;
    const body = this.screen.slice(0, -1);
    const add = this.n % 3 === 0 ? 2 : 1;
    for (let i = 0; i < add; i++) body.push(`\x1b[3${this.n % 8}mline ${this.n}.${i} 漢字 ${"x".repeat(this.n % 17)}\x1b[0m`);
    this.screen = [...body.slice(-(this.height - 1)), `status ${this.n} ${this.n % 2 === 0 ? "working" : "idle"}`];
    const u = this.store.ingest(this.pane, this.screen, { width: 80, height: this.height })!;
    return { u, lines: this.store.get(this.pane)!.lines };
  }
}

export const META = { session: "alpha", agent: "claude" };
