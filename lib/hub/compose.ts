import type { PaneDelta, PaneUpdate } from "../protocol.ts";
import { applyDelta } from "../panes/diff.ts";

type Diff = Extract<PaneDelta, { kind: "diff" }>;

/**
 * Folds a chain of a pane's updates (each based on the one before) into one update that takes a
 * client from the first one's base to the last one's state: a client that is behind gets one state
 * per pane, latest wins, without the server holding its previous screen.
 */
export function composeUpdates(chain: readonly PaneUpdate[]): PaneUpdate {
  if (chain.length === 0) throw new Error("composeUpdates: empty chain");
  let acc = chain[0]!;
  for (let i = 1; i < chain.length; i++) acc = composeTwo(acc, chain[i]!);
  return acc;
}

function composeTwo(a: PaneUpdate, b: PaneUpdate): PaneUpdate {
  if (b.delta.kind === "full") return b;
  if (a.delta.kind === "full") return { ...b, base: a.base, delta: { kind: "full", lines: applyDelta(a.delta.lines, b.delta) } };
  return { ...b, base: a.base, delta: composeDiffs(a.delta, b.delta) };
}

/**
 * Line j of b's result is b's own line when b sets it; else line shift_b + j of a's result, which is
 * a's line when a sets it, "" when it lies past a's length (padding), and otherwise the original
 * line shift_a + shift_b + j, exactly what the composed diff keeps by itself.
 */
export function composeDiffs(a: Diff, b: Diff): Diff {
  const setA = new Map(a.set);
  const setB = new Map(b.set);
  const set: Array<[number, string]> = [];
  for (let j = 0; j < b.length; j++) {
    const own = setB.get(j);
    if (own !== undefined) {
      set.push([j, own]);
      continue;
    }
    const k = b.shift + j;
    if (k >= a.length) {
      set.push([j, ""]);
      continue;
    }
    const fromA = setA.get(k);
    if (fromA !== undefined) set.push([j, fromA]);
  }
  return { kind: "diff", shift: a.shift + b.shift, length: b.length, set };
}
