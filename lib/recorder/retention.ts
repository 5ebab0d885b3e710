import type { Segment } from "./segments.ts";

export interface RetentionLimits {
  maxAgeMs: number;
  maxPaneBytes: number;
  maxTotalBytes: number;
}

/**
 * The segments to delete so every bound holds: those that ended before the age limit, then each
 * pane's oldest while the pane is over its bytes, then the oldest of all while the total is over.
 * A segment still being written is never chosen (it is small: rotation bounds it).
 */
export function segmentsToDrop(catalog: ReadonlyMap<string, readonly Segment[]>, now: number, limits: RetentionLimits): Segment[] {
  const drop = new Set<Segment>();
  const kept: Segment[] = [];
  let total = 0;
  for (const segs of catalog.values()) {
    let paneBytes = segs.reduce((n, s) => n + s.bytes, 0);
    for (const s of segs) {
      if (!s.closed) continue;
      if (s.endAt < now - limits.maxAgeMs || paneBytes > limits.maxPaneBytes) {
        drop.add(s);
        paneBytes -= s.bytes;
      }
    }
    for (const s of segs) if (!drop.has(s)) kept.push(s);
    total += paneBytes;
  }
  if (total > limits.maxTotalBytes) {
    const oldest = kept.filter((s) => s.closed).sort((a, b) => a.endAt - b.endAt);
    for (const s of oldest) {
      if (total <= limits.maxTotalBytes) break;
      drop.add(s);
      total -= s.bytes;
    }
  }
  return [...drop];
}
