import { fullFrameCost } from "../panes/diff.ts";
import type { PaneUpdate } from "../protocol.ts";
import type { ClientState } from "./client-state.ts";
import { composeUpdates } from "./compose.ts";
import type { PaneSource } from "./ports.ts";
import type { ReplayRing } from "./replay-ring.ts";
import type { Tick } from "./tick.ts";

// How a client that holds an older seq of a pane is brought to its current state: the deltas since
// that seq when the replay ring (or this tick) still has them and they cost less than a full frame,
// else the full frame.

type Frames = Pick<PaneSource, "fullUpdate">;

/** The one update that takes a client from `from` to the pane's current state; null: it has it. */
export function updateFor(panes: Frames, ring: ReplayRing, tick: Tick, pane: string, from: number | undefined): PaneUpdate | null {
  return tick.memo(`u${pane}@${from ?? "-"}`, () => {
    const cur = panes.fullUpdate(pane);
    if (!cur || from === cur.seq) return null;
    if (from !== undefined) {
      const full = cur.delta.kind === "full" ? fullFrameCost(cur.delta.lines) : Infinity;
      const chain = ring.since(pane, from, full) ?? tick.chainFrom(pane, from);
      if (chain && chain.at(-1)!.seq === cur.seq) return chain.length === 1 ? chain[0]! : composeUpdates(chain);
    }
    return cur;
  });
}

/** What a subscribing client lacks of a pane it holds at `heldSeq`; its record moves to the current seq. */
export function missing(panes: Frames, ring: ReplayRing, c: ClientState, pane: string, heldSeq: number | undefined): PaneUpdate[] {
  const current = panes.fullUpdate(pane);
  if (!current) return [];
  c.sent.set(pane, current.seq);
  if (heldSeq === current.seq) return [];
  if (heldSeq !== undefined) {
    const full = current.delta.kind === "full" ? fullFrameCost(current.delta.lines) : Infinity;
    const chain = ring.since(pane, heldSeq, full);
    if (chain) return chain;
  }
  return [current];
}
