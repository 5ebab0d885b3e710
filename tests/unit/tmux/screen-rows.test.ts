import { describe, expect, it } from "vitest";
import { changedRows, parseScreenState, rowsAbove, type ScreenState } from "../../../lib/tmux/screen-rows.ts";

const screen = (over: Partial<ScreenState> = {}): ScreenState => ({
  cursorX: 0,
  cursorY: 5,
  cursorVisible: true,
  historySize: 100,
  historyLimit: 2000,
  alternate: false,
  regionTop: 0,
  regionBottom: 9,
  inMode: false,
  width: 40,
  height: 10,
  ...over,
});

describe("changedRows", () => {
  it("spans from the cursor's last row, moved up by the lines that scrolled, to its new row", () => {
    expect(changedRows(screen(), screen({ cursorY: 7 }))).toEqual({ start: 5, end: 7, shift: 0 });
    expect(changedRows(screen({ cursorY: 9 }), screen({ cursorY: 9, historySize: 103 }))).toEqual({ start: 6, end: 9, shift: 3 });
    expect(changedRows(screen(), screen({ cursorX: 12 }))).toEqual({ start: 5, end: 5, shift: 0 });
  });

  it("is null whenever the changed rows cannot be known", () => {
    const prev = screen({ cursorY: 9 });
    // More lines scrolled than the screen holds.
    expect(changedRows(prev, screen({ cursorY: 9, historySize: 110 }))).toBeNull();
    // The cursor went up: something moved it.
    expect(changedRows(prev, screen({ cursorY: 3 }))).toBeNull();
    expect(changedRows(prev, screen({ cursorY: 9, width: 80 }))).toBeNull();
    expect(changedRows(prev, screen({ cursorY: 9, alternate: true }))).toBeNull();
    expect(changedRows(prev, screen({ cursorY: 9, inMode: true }))).toBeNull();
    expect(changedRows(prev, screen({ cursorY: 9, regionTop: 2 }))).toBeNull();
    // Cleared, or near the limit where tmux trims a tenth of the history (the count of scrolled lines is lost).
    expect(changedRows(prev, screen({ cursorY: 9, historySize: 50 }))).toBeNull();
    expect(changedRows(screen({ cursorY: 9, historySize: 1795 }), screen({ cursorY: 9, historySize: 1800 }))).toBeNull();
    expect(changedRows(screen({ historyLimit: 0, historySize: 0 }), screen({ historyLimit: 0, historySize: 0 }))).toBeNull();
  });
});

describe("parseScreenState", () => {
  it("reads the eleven numbers of SCREEN_FORMAT, and nothing else", () => {
    expect(parseScreenState("3,4,1,22,2000,0,0,9,0,80,10")).toEqual(screen({ cursorX: 3, cursorY: 4, historySize: 22, width: 80 }));
    expect(parseScreenState("3,4,1")).toBeNull();
    expect(parseScreenState("3,4,1,22,2000,0,0,9,0,80,x")).toBeNull();
  });
});

describe("rowsAbove", () => {
  it("reads twice the lines scrolled last time, at least two rows, at most the screen", () => {
    expect(rowsAbove(0, 30)).toBe(2);
    expect(rowsAbove(3, 30)).toBe(7);
    expect(rowsAbove(40, 30)).toBe(30);
  });
});
