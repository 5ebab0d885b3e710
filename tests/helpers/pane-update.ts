import { diffFrames } from "../../lib/panes/diff.ts";
import { frameHash } from "../../lib/panes/hash.ts";
import type { PaneUpdate } from "../../lib/protocol.ts";

/** The update that leads a pane from `prev` (at seq `base`) to `next`: whole when `base` is 0. */
export const update = (pane: string, seq: number, base: number, prev: string[], next: string[]): PaneUpdate => ({
  pane,
  seq,
  base,
  delta: base === 0 ? { kind: "full", lines: next } : diffFrames(prev, next),
  hash: frameHash(next),
  width: 80,
  height: next.length,
});
