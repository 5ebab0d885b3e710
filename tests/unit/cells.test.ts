import { describe, expect, it } from "vitest";
import { cellWidth, indexOfCell, insertAtCell, splitWide } from "../../lib/cells.ts";

describe("cells", () => {
  it("gives East Asian wide and fullwidth characters and emoji two cells, marks none", () => {
    expect(["a", "─", "╭", "⎿", "❯", "é"].map(cellWidth)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(["将", "軍", "家", "ア", "Ａ", "한", "😀"].map(cellWidth)).toEqual([2, 2, 2, 2, 2, 2, 2]);
    expect(["\u0301", "\ufe0f", "\u200d"].map(cellWidth)).toEqual([0, 0, 0]);
  });

  it("splits text into narrow runs and single wide glyphs", () => {
    expect(splitWide("│ 将軍 ok │")).toEqual([
      { text: "│ ", wide: false },
      { text: "将", wide: true },
      { text: "軍", wide: true },
      { text: " ok │", wide: false },
    ]);
    expect(splitWide("plain ascii")).toEqual([{ text: "plain ascii", wide: false }]);
  });

  it("maps cell columns to text, across wide characters and escape sequences", () => {
    expect(indexOfCell("将軍x", 2)).toEqual({ index: 1, width: 2 });
    expect(indexOfCell("ab", 5)).toEqual({ index: -1, width: 2 });
    expect(insertAtCell("将\x1b[1m軍x", 4, "|")).toBe("将\x1b[1m軍|x");
    expect(insertAtCell("a", 3, "|")).toBe("a  |");
  });
});
