import { describe, expect, it } from "vitest";
import { DEFAULT_STYLE, applySgr, cssColor, isDefault, sameStyle, sgrOf } from "../../lib/ansi-style.ts";

describe("a cell's style", () => {
  it("maps palette indexes to colours", () => {
    expect(cssColor(1)).toMatch(/^#[0-9a-f]{6}$/);
    expect(cssColor(196)).toBe("#ff0000");
    expect(cssColor(232)).toBe("#080808");
    expect(cssColor("#123456")).toBe("#123456");
  });

  it("applies SGR parameters, and the SGR it writes for a style sets that style again", () => {
    const s = applySgr(DEFAULT_STYLE, "1;4;38;5;196;48;2;1;2;3");
    expect(s).toMatchObject({ bold: true, underline: true, fg: 196, bg: "#010203" });
    expect(isDefault(s)).toBe(false);
    const again = applySgr(DEFAULT_STYLE, sgrOf(s).replace(/^\x1b\[|m$/g, ""));
    expect(sameStyle(again, s)).toBe(true);
    expect(isDefault(applySgr(s, "0"))).toBe(true);
  });
});
