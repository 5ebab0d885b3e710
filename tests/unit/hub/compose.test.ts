import { describe, expect, it } from "vitest";
import { composeDiffs, composeUpdates } from "../../../lib/hub/compose.ts";
import { applyDelta, diffFrames } from "../../../lib/panes/diff.ts";
import { frameHash } from "../../../lib/panes/hash.ts";
import type { PaneDelta, PaneUpdate } from "../../../lib/protocol.ts";

/** A deterministic pseudo-random source, so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The next screen: scrolled, some lines changed, sometimes shorter or longer. */
function nextFrame(prev: string[], r: () => number, n: number): string[] {
  let next = prev.slice(Math.floor(r() * 4));
  const length = Math.max(0, prev.length + Math.floor(r() * 5) - 2);
  while (next.length < length) next.push(`new ${n} ${next.length}`);
  next = next.slice(0, length);
  for (let i = 0; i < next.length; i++) if (r() < 0.2) next[i] = r() < 0.3 ? "" : `changed ${n} ${i}`;
  return next;
}

function update(seq: number, base: number, lines: string[], delta: PaneDelta): PaneUpdate {
  return { pane: "%1", seq, base, delta, hash: frameHash(lines), width: 80, height: lines.length };
}

describe("composeUpdates", () => {
  it("takes a frame to the same state as applying the chain one by one", () => {
    const r = rng(7);
    for (let trial = 0; trial < 300; trial++) {
      const start = Array.from({ length: 1 + Math.floor(r() * 12) }, (_, i) => (r() < 0.2 ? "" : `line ${trial} ${i}`));
      const chain: PaneUpdate[] = [];
      let cur = start;
      let seq = 10;
      for (let k = 0; k < 1 + Math.floor(r() * 5); k++) {
        const next = nextFrame(cur, r, k);
        const delta = diffFrames(cur, next);
        chain.push(update(seq + 1, delta.kind === "full" ? 0 : seq, next, delta));
        cur = next;
        seq++;
      }
      const one = composeUpdates(chain);
      // A full frame in the chain makes the result a full frame (base 0); else it starts where the chain did.
      expect(one.base).toBe(one.delta.kind === "full" ? 0 : 10);
      expect(one.seq).toBe(seq);
      expect(one.hash).toBe(frameHash(cur));
      expect(applyDelta(start, one.delta), `trial ${trial}`).toEqual(cur);
    }
  });

  it("makes a full frame when the chain starts with one, and keeps a later full frame as it is", () => {
    const full = update(5, 0, ["a", "b"], { kind: "full", lines: ["a", "b"] });
    const diff = update(6, 5, ["b", "c"], { kind: "diff", shift: 1, length: 2, set: [[1, "c"]] });
    expect(composeUpdates([full, diff]).delta).toEqual({ kind: "full", lines: ["b", "c"] });
    const later = update(7, 0, ["z"], { kind: "full", lines: ["z"] });
    expect(composeUpdates([diff, later])).toBe(later);
  });

  it("pads explicitly where the first diff cut the screen, since the original may have a line there", () => {
    const d = composeDiffs({ kind: "diff", shift: 0, length: 1, set: [] }, { kind: "diff", shift: 0, length: 3, set: [] });
    expect(applyDelta(["x", "y", "z"], d)).toEqual(["x", "", ""]);
  });
});
