// The quiet pane of bench/load.bench.ts: a numbered marker line about every 200 ms, and the time from
// writing each marker until the LAST client has it (a per-update latency hides one client that is late).
import { write } from "node:fs";
import type { MarkerReceipts } from "./load-clients.ts";

export const MARKER_EVERY_MS = 200;

/** Writes `QM<n>;` lines into the quiet pane's fifo and keeps each marker's write time. */
export class MarkerWriter {
  private readonly written = new Map<number, number>();
  private next = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(readonly fd: number) {}

  start(): void {
    this.written.clear();
    this.timer = setInterval(() => {
      const n = this.next++;
      this.written.set(n, performance.timeOrigin + performance.now());
      write(this.fd, `quiet pane marker QM${n}; nothing else happens here\n`, () => {});
    }, MARKER_EVERY_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Every worker's receipts together: per marker written, ms until the last of `clients` had it, or missing. */
  lags(receipts: MarkerReceipts[], clients: number): MarkerLags {
    const got = new Map<number, { clients: number; last: number }>();
    for (const list of receipts) {
      for (const [n, count, at] of list) {
        const g = got.get(n) ?? { clients: 0, last: 0 };
        g.clients += count;
        g.last = Math.max(g.last, at);
        got.set(n, g);
      }
    }
    const lags: number[] = [];
    let missing = 0;
    for (const [n, t] of this.written) {
      const g = got.get(n);
      if (g && g.clients >= clients) lags.push(g.last - t);
      else missing++;
    }
    return { written: this.written.size, missing, lags };
  }
}

export interface MarkerLags {
  written: number;
  /** Markers that had not reached every client when the run ended (a few seconds after the last one). */
  missing: number;
  /** ms from write to the last client's receipt, one per marker that reached every client. */
  lags: number[];
}
