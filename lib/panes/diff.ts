import type { PaneDelta } from "../protocol.ts";

/**
 * Line-level deltas between two frames of a pane's screen (pure functions, shared with the browser).
 * A screen that scrolled up by k lines becomes "shift k" plus the lines that are new; whichever of the
 * delta and a full frame is smaller is sent.
 */

/** How many candidate scroll offsets are tried at most. */
const MAX_SHIFT_CANDIDATES = 16;

export function applyDelta(prev: readonly string[], delta: PaneDelta): string[] {
  if (delta.kind === "full") return delta.lines.slice();
  const next = prev.slice(delta.shift);
  if (next.length > delta.length) next.length = delta.length;
  while (next.length < delta.length) next.push("");
  for (const [i, line] of delta.set) if (i >= 0 && i < delta.length) next[i] = line;
  return next;
}

export function diffFrames(prev: readonly string[], next: readonly string[]): PaneDelta {
  let best: { shift: number; set: Array<[number, string]> } | null = null;
  let bestCost = Infinity;
  for (const shift of shiftCandidates(prev, next)) {
    const set: Array<[number, string]> = [];
    let cost = 0;
    for (let i = 0; i < next.length; i++) {
      const line = next[i]!;
      const old = i + shift < prev.length ? prev[i + shift]! : "";
      if (old !== line) {
        set.push([i, line]);
        cost += line.length + 8;
        if (cost >= bestCost) break;
      }
    }
    if (cost < bestCost) {
      bestCost = cost;
      best = { shift, set };
    }
  }
  const fullCost = fullFrameCost(next);
  if (!best || bestCost >= fullCost) return { kind: "full", lines: next.slice() };
  return { kind: "diff", shift: best.shift, length: next.length, set: best.set };
}

/** What sending a frame whole costs, in the same units as a delta's lines (text plus JSON quoting). */
export function fullFrameCost(lines: readonly string[]): number {
  return lines.reduce((n, l) => n + l.length + 3, 0);
}

/** 0, then offsets k where a line of the new frame stands k lines higher than in the old one. */
function shiftCandidates(prev: readonly string[], next: readonly string[]): number[] {
  const out = [0];
  if (prev.length === 0 || next.length === 0) return out;
  const positions = new Map<string, number[]>();
  for (let i = 0; i < prev.length; i++) {
    const line = prev[i]!;
    if (line.length === 0) continue;
    const list = positions.get(line);
    if (list) {
      if (list.length < 4) list.push(i);
    } else positions.set(line, [i]);
  }
  // Probe a few distinct non-empty lines from the top of the new frame: after a scroll they sit
  // `shift` lines lower in the old one.
  let probes = 0;
  for (let j = 0; j < next.length && probes < 4 && out.length < MAX_SHIFT_CANDIDATES; j++) {
    const hits = positions.get(next[j]!);
    if (!hits) continue;
    probes++;
    for (const i of hits) {
      const k = i - j;
      if (k > 0 && !out.includes(k)) out.push(k);
    }
  }
  return out;
}

/** Bytes a delta takes as JSON: what backpressure and the benchmark count. */
export function deltaSize(delta: PaneDelta): number {
  return JSON.stringify(delta).length;
}
