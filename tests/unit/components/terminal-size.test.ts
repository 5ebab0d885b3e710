import { describe, expect, it } from "vitest";
import { FIT_MIN_PX, FONT_PX, READABLE_PX, fontFor } from "../../../components/terminal-size";

describe("fontFor", () => {
  it("keeps the full font when the pane's columns fit", () => {
    expect(fontFor("readable", 200, 120)).toBe(FONT_PX);
    expect(fontFor("fit", 120, 120)).toBe(FONT_PX);
  });

  it("shrinks in proportion while the font stays above the floor", () => {
    // 130 columns fit at 13 px: 140 columns need 12 px.
    expect(fontFor("fit", 130, 140)).toBe(12);
    expect(fontFor("readable", 130, 140)).toBe(12);
  });

  it("stops at a readable size, or shrinks further when fitting", () => {
    // A phone: about 45 columns fit at 13 px, the pane has 120.
    expect(fontFor("readable", 45, 120)).toBe(READABLE_PX);
    expect(fontFor("fit", 80, 120)).toBe(8);
    expect(fontFor("fit", 45, 120)).toBe(FIT_MIN_PX);
    expect(fontFor("fit", 10, 400)).toBe(FIT_MIN_PX);
  });

  it("survives a box with no room", () => {
    expect(fontFor("readable", 0, 80)).toBe(READABLE_PX);
    expect(fontFor("fit", -3, 80)).toBe(FIT_MIN_PX);
  });
});
