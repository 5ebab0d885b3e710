import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyDelta, deltaSize, diffFrames } from "../../../lib/panes/diff.ts";

const line = fc.oneof(fc.constant(""), fc.string({ maxLength: 12 }), fc.constantFrom("$ ls", "ok", "\x1b[31mred\x1b[0m", "é😀"));
const frame = fc.array(line, { maxLength: 40 });

describe("diffFrames / applyDelta", () => {
  it("applying the delta to the old frame always gives the new frame", () => {
    fc.assert(
      fc.property(frame, frame, (prev, next) => {
        expect(applyDelta(prev, diffFrames(prev, next))).toEqual(next);
      }),
      { numRuns: 2000 },
    );
  });

  it("holds for scrolled frames with new lines appended", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 50 }), fc.nat(49), fc.array(line, { maxLength: 10 }), (prev, k, added) => {
        const shift = k % prev.length;
        const next = [...prev.slice(shift), ...added].slice(0, prev.length);
        while (next.length < prev.length) next.push("");
        expect(applyDelta(prev, diffFrames(prev, next))).toEqual(next);
      }),
      { numRuns: 1000 },
    );
  });

  it("sends a scroll as a shift plus the new lines", () => {
    const prev = Array.from({ length: 24 }, (_, i) => `line number ${i} with some text on it`);
    const next = [...prev.slice(3), "new a", "new b", "new c"];
    const d = diffFrames(prev, next);
    expect(d).toEqual({ kind: "diff", shift: 3, length: 24, set: [[21, "new a"], [22, "new b"], [23, "new c"]] });
  });

  it("sends a full frame when that is smaller", () => {
    const d = diffFrames(["a", "b", "c"], ["x", "y", "z"]);
    expect(d.kind).toBe("full");
  });

  it("an appended line costs a small fraction of the full frame", () => {
    const prev = Array.from({ length: 50 }, (_, i) => `\x1b[32m●\x1b[0m step ${i}: compiled module number ${i * 7} in ${i} ms`);
    const next = [...prev.slice(1), "\x1b[32m●\x1b[0m step 50: done"];
    const d = diffFrames(prev, next);
    expect(deltaSize(d)).toBeLessThan(deltaSize({ kind: "full", lines: next }) / 10);
  });

  it("an unchanged frame yields an empty diff", () => {
    const f = ["a", "b"];
    expect(diffFrames(f, f)).toEqual({ kind: "diff", shift: 0, length: 2, set: [] });
  });
});
