import { writeFileSync } from "node:fs";
import { lastLines } from "../../../lib/agents/status.ts";
import type { PanecastApp } from "../../../lib/app.ts";

/**
 * What the monitor saw and decided for one pane, in order, when a run records (trace.jsonl): every
 * frame the tracker read (one may last a few milliseconds, between two screen samples), every hook
 * signal and status with the bottom of the screen then, and every key sent. It tells which event or
 * screen made a state. Bounded: a long run keeps its first entries.
 */
export class RunTrace {
  private readonly entries: Record<string, unknown>[] = [];

  constructor(app: PanecastApp, pane: string) {
    const monitor = app.awareness.monitor;
    const tail = () => lastLines(app.tracker.frame(pane)?.lines ?? [], 10);
    monitor.on("status", (s) => {
      if (s.pane === pane) this.note({ status: s.state, source: s.source, line: s.line, tail: tail() });
    });
    app.tracker.on("update", (u) => {
      if (u.pane === pane) this.note({ frame: app.tracker.frame(pane)?.lines ?? [] });
    });
    const signal = monitor.signal.bind(monitor);
    monitor.signal = (id, state, line, extra) => {
      if (id === pane) this.note({ hook: state, line, tail: tail() });
      return signal(id, state, line, extra);
    };
  }

  note(entry: Record<string, unknown>): void {
    if (this.entries.length < 20_000) this.entries.push({ at: Date.now(), ...entry });
  }

  /** Writes the trace so far, with each entry's milliseconds from the first. */
  write(file: string): void {
    const t0 = (this.entries[0]?.at as number | undefined) ?? 0;
    writeFileSync(file, this.entries.map((e) => `${JSON.stringify({ ...e, ms: (e.at as number) - t0 })}\n`).join(""));
  }
}
