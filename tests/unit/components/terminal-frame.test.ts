import { Terminal } from "@xterm/headless";
import { describe, expect, it } from "vitest";
import { CURSOR_MARK } from "../../../lib/ansi.ts";
import { frameBytes, type Drawn, type Frame } from "../../../components/terminal-frame.ts";

const COLS = 20;
const ROWS = 4;

function term(): Terminal {
  return new Terminal({ cols: COLS, rows: ROWS, scrollback: 100, allowProposedApi: true });
}

const write = (t: Terminal, data: string) => new Promise<void>((resolve) => t.write(data, resolve));

/** Every line of the buffer, scrollback first, trailing blanks trimmed. */
function text(t: Terminal): string[] {
  const b = t.buffer.active;
  return Array.from({ length: b.length }, (_, i) => b.getLine(i)!.translateToString(true));
}

/** A pane's life as the mirror sees it: each step's screen and the count of lines scrolled off. */
class Pane {
  scrolled: string[] = [];
  total = 0;
  constructor(public lines: string[]) {}
  scroll(k: number, added: string[]): Frame {
    this.scrolled.push(...this.lines.slice(0, k));
    this.total += k;
    this.lines = [...this.lines.slice(k), ...added];
    return this.frame();
  }
  frame(): Frame {
    return { lines: [...this.lines], scrolled: [...this.scrolled], scrolledTotal: this.total };
  }
}

describe("drawing a pane's frames into a terminal", () => {
  it("writes the history into the scrollback, the screen below it, and then only the scroll and changed rows", async () => {
    const t = term();
    const p = new Pane(["a", "b", "c", "$"]);
    let drawn: Drawn | null = null;
    const draw = async (f: Frame, history: string[] = []) => {
      await write(t, frameBytes(drawn, f, ROWS, history));
      drawn = { lines: f.lines, scrolledTotal: f.scrolledTotal };
    };
    await draw(p.frame(), ["h1", "h2"]);
    expect(text(t)).toEqual(["h1", "h2", "a", "b", "c", "$"]);
    await draw(p.scroll(1, ["x"]));
    expect(text(t)).toEqual(["h1", "h2", "a", "b", "c", "$", "x"]);
    // Two scrolls between draws, more lines than the screen holds: all land in the scrollback, in order.
    p.scroll(3, ["1", "2", "3"]);
    await draw(p.scroll(3, ["4", "5", "6"]));
    expect(text(t)).toEqual(["h1", "h2", "a", "b", "c", "$", "x", "1", "2", "3", "4", "5", "6"]);
    // A change in place rewrites that row only.
    p.lines[1] = "changed";
    const bytes = frameBytes(drawn, p.frame(), ROWS);
    expect(bytes).toContain("changed");
    expect(bytes.match(/\x1b\[2K/g)).toHaveLength(1);
    await draw(p.frame());
    expect(text(t).slice(-ROWS)).toEqual(["3", "changed", "5", "6"]);
  });

  it("keeps colours and wide characters, and puts the cursor where the mark is", async () => {
    const t = term();
    const line = `\x1b[31mred\x1b[0m 将軍${CURSOR_MARK}x`;
    await write(t, frameBytes(null, { lines: [line, "\x1b[44m  blue bg  \x1b[0m"], scrolled: [], scrolledTotal: 0 }, ROWS));
    const b = t.buffer.active;
    expect(b.getLine(0)!.translateToString(true)).toBe("red 将軍x");
    expect(b.getLine(0)!.getCell(0)!.getFgColor()).toBe(1);
    // 将 and 軍 take two cells each: x is at column 8, and so is the cursor.
    expect(b.getLine(0)!.getCell(4)!.getWidth()).toBe(2);
    expect(b.getLine(0)!.getCell(8)!.getChars()).toBe("x");
    expect({ x: b.cursorX, y: b.cursorY }).toEqual({ x: 8, y: 0 });
    expect(b.getLine(1)!.getCell(0)!.getBgColor()).toBe(4);
    // A row drawn again starts from the default style: no colour leaks from the row before.
    expect(b.getLine(1)!.getCell(12)!.isBgDefault()).toBe(true);
  });
});
