import type { PaneUpdate } from "../protocol.ts";
import { deltaSize } from "../panes/diff.ts";

/**
 * The last few deltas of each pane, so a client that comes back holding seq s receives the deltas
 * since s instead of whole screens. Bounded per pane; a full frame clears a pane's ring.
 */
export class ReplayRing {
  private readonly perPane: number;
  private readonly rings = new Map<string, PaneUpdate[]>();

  constructor(perPane: number) {
    this.perPane = perPane;
  }

  push(u: PaneUpdate): void {
    if (this.perPane === 0) return;
    if (u.delta.kind === "full" || u.base === 0) {
      this.rings.delete(u.pane);
      return;
    }
    let ring = this.rings.get(u.pane);
    if (!ring) {
      ring = [];
      this.rings.set(u.pane, ring);
    }
    ring.push(u);
    if (ring.length > this.perPane) ring.shift();
  }

  drop(pane: string): void {
    this.rings.delete(pane);
  }

  /**
   * The deltas that take a client from `fromSeq` to the pane's latest state, or null when the ring no
   * longer reaches back that far or they would weigh more than `maxBytes` (send a full frame then).
   */
  since(pane: string, fromSeq: number, maxBytes: number): PaneUpdate[] | null {
    const ring = this.rings.get(pane);
    if (!ring) return null;
    const start = ring.findIndex((u) => u.base === fromSeq);
    if (start === -1) return null;
    const chain = ring.slice(start);
    let bytes = 0;
    for (let i = 0; i < chain.length; i++) {
      if (i > 0 && chain[i]!.base !== chain[i - 1]!.seq) return null;
      bytes += deltaSize(chain[i]!.delta);
      if (bytes >= maxBytes) return null;
    }
    return chain;
  }

  get size(): number {
    let n = 0;
    for (const r of this.rings.values()) n += r.length;
    return n;
  }
}
