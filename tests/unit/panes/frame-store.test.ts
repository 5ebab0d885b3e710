import { describe, expect, it } from "vitest";
import { FrameStore } from "../../../lib/panes/frame-store.ts";

const size = { width: 80, height: 3 };

describe("FrameStore", () => {
  it("sends a pane's first screen whole, then line diffs with the previous seq as base", () => {
    const s = new FrameStore({ colors: false, maxPanes: 10 });
    const first = s.ingest("%1", ["a", "b", "c"], size)!;
    expect(first).toMatchObject({ pane: "%1", seq: 1, base: 0, delta: { kind: "full", lines: ["a", "b", "c"] } });
    const second = s.ingest("%1", ["a", "B", "c"], size)!;
    expect(second.base).toBe(1);
    expect(second.seq).toBe(2);
    expect(second.delta.kind).not.toBe("full");
    expect(s.get("%1")!.lines).toEqual(["a", "B", "c"]);
  });

  it("drops an unchanged screen, but not a resized one", () => {
    const s = new FrameStore({ colors: false, maxPanes: 10 });
    s.ingest("%1", ["a"], size);
    expect(s.ingest("%1", ["a"], size)).toBeNull();
    expect(s.stats.unchanged).toBe(1);
    expect(s.ingest("%1", ["a"], { width: 100, height: 3 })).not.toBeNull();
  });

  it("keeps no frame for a new pane past maxPanes", () => {
    const s = new FrameStore({ colors: false, maxPanes: 1 });
    expect(s.ingest("%1", ["a"], size)).not.toBeNull();
    expect(s.ingest("%2", ["b"], size)).toBeNull();
    expect(s.has("%2")).toBe(false);
    s.delete("%1");
    expect(s.ingest("%2", ["b"], size)).not.toBeNull();
  });

  it("gives the current frame as a full update without a new seq", () => {
    const s = new FrameStore({ colors: false, maxPanes: 10 });
    s.ingest("%1", ["a"], size);
    s.ingest("%1", ["b"], size);
    expect(s.fullUpdate("%1")).toMatchObject({ seq: 2, base: 0, delta: { kind: "full", lines: ["b"] } });
    expect(s.fullUpdate("%9")).toBeNull();
  });
});

describe("FrameStore.ingestRows", () => {
  const state = { cursorX: 0, cursorY: 2, cursorVisible: false, historySize: 0, historyLimit: 2000, alternate: false, regionTop: 0, regionBottom: 2, inMode: false, width: 80, height: 3 };

  it("moves the last frame's rows up by the shift and replaces the rows read", () => {
    const s = new FrameStore({ colors: true, maxPanes: 10 });
    s.ingest("%1", ["a", "b", ""], size, state);
    const got = s.ingestRows("%1", { start: 1, end: 2, shift: 1 }, ["\x1b[31mc", "d"], 1, size, { ...state, historySize: 1 });
    expect(got).not.toBe(false);
    // The rows read start in the default style, and carry their colour from one to the next.
    expect(s.get("%1")!.lines).toEqual(["b", "\x1b[31mc", "\x1b[38;5;1md"]);
    expect(got && got.update?.base).toBe(1);
  });

  it("takes only the changed rows from rows read from higher up, in the colours the rows above gave them", () => {
    const s = new FrameStore({ colors: true, maxPanes: 10 });
    s.ingest("%1", ["a", "b", ""], size, state);
    expect(s.ingestRows("%1", { start: 2, end: 2, shift: 0 }, ["\x1b[32mA", "B", "c"], 0, size, state)).not.toBe(false);
    expect(s.get("%1")!.lines).toEqual(["a", "b", "\x1b[38;5;2mc"]);
  });

  it("refuses rows that do not fit the last frame: none, read without a state, another size, or too few rows read", () => {
    const s = new FrameStore({ colors: true, maxPanes: 10 });
    expect(s.ingestRows("%1", { start: 0, end: 0, shift: 0 }, ["x"], 0, size, state)).toBe(false);
    s.ingest("%1", ["a", "b", "c"], size);
    expect(s.ingestRows("%1", { start: 0, end: 0, shift: 0 }, ["x"], 0, size, state)).toBe(false);
    s.ingest("%1", ["a", "b", "c"], size, state);
    expect(s.ingestRows("%1", { start: 0, end: 0, shift: 0 }, ["x"], 0, { width: 80, height: 4 }, state)).toBe(false);
    // More rows changed than were read.
    expect(s.ingestRows("%1", { start: 0, end: 1, shift: 0 }, ["x"], 0, size, state)).toBe(false);
    expect(s.ingestRows("%1", { start: 0, end: 1, shift: 0 }, ["x", "y"], 1, size, state)).toBe(false);
    expect(s.get("%1")!.lines).toEqual(["a", "b", "c"]);
  });
});
