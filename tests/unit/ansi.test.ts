import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CURSOR_MARK, normalizeLines, parseLine, stripAnsi, type NormalizedLine, type Segment } from "../../lib/ansi.ts";

describe("parseLine", () => {
  it("reads 16, 256 and truecolor, bold, underline and inverse", () => {
    const { segments } = parseLine("a\x1b[1;31mb\x1b[0m\x1b[38;5;196mc\x1b[48;2;1;2;3md\x1b[4;7me\x1b[0mf");
    expect(segments.map((s) => s.text)).toEqual(["a", "b", "c", "d", "e", "f"]);
    expect(segments[1]!.style).toMatchObject({ fg: 1, bold: true });
    expect(segments[2]!.style).toMatchObject({ fg: 196, bold: false });
    expect(segments[3]!.style).toMatchObject({ fg: 196, bg: "#010203" });
    expect(segments[4]!.style).toMatchObject({ underline: true, inverse: true });
    expect(segments[5]!.style.fg).toBeNull();
  });

  it("reads colon sub-parameters and bright colours", () => {
    const { segments } = parseLine("\x1b[38:2::255:0:0mx\x1b[91;104;4my\x1b[4:0mz");
    expect(segments[0]!.style.fg).toBe("#ff0000");
    expect(segments[1]!.style).toMatchObject({ fg: 9, bg: 12, underline: true });
    expect(segments[2]!.style.underline).toBe(false);
  });

  it("strips other escape sequences (cursor moves, OSC titles and links)", () => {
    expect(stripAnsi("a\x1b[2Kb\x1b]2;title\x07c\x1b]8;;http://x\x1b\\d\x1b(Be")).toBe("abcde");
  });
});

describe("normalizeLines", () => {
  it("gives the same lines with a memo of (entering style, line) as without, however often lines repeat", () => {
    const sgr = fc.constantFrom("\x1b[0m", "\x1b[1m", "\x1b[31m", "\x1b[48;5;4m", "\x1b]8;;https://x.test/\x07", "\x1b[7m", "\x1b[39m");
    const line = fc.array(fc.oneof(sgr, fc.constantFrom("a", "bc", "  ")), { maxLength: 6 }).map((p) => p.join(""));
    const memo = new Map<string, NormalizedLine>();
    fc.assert(
      // Few distinct lines, so the same raw line is met after different styles.
      fc.property(fc.array(fc.array(line, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }), fc.array(fc.nat(11), { maxLength: 12 }), (pool, picks) => {
        const flat = pool.flat();
        const lines = picks.map((i) => flat[i % flat.length]!);
        expect(normalizeLines(lines, memo)).toEqual(normalizeLines(lines));
      }),
    );
    expect(memo.size).toBeGreaterThan(0);
  });

  it("makes each line start in the state the previous one ended in", () => {
    const out = normalizeLines(["\x1b[31mred starts", "still red", "\x1b[0mplain"]);
    expect(parseLine(out[1]!).segments[0]!.style.fg).toBe(1);
    expect(parseLine(out[2]!).segments[0]!.style.fg).toBeNull();
  });

  it("renders every line alone exactly as it renders in sequence (but for trailing blanks that show nothing)", () => {
    // Trailing spaces with no background (and not inverse) are dropped: they draw nothing.
    const visible = (segs: Segment[]): Segment[] => {
      const out = segs.map((s) => ({ ...s }));
      while (out.length > 0) {
        const last = out[out.length - 1]!;
        if (last.style.bg !== null || last.style.inverse) break;
        last.text = last.text.replace(/ +$/, "");
        if (last.text !== "") break;
        out.pop();
      }
      return out;
    };
    const sgr = fc.constantFrom("\x1b[0m", "\x1b[1m", "\x1b[31m", "\x1b[38;5;100m", "\x1b[48;2;9;8;7m", "\x1b[7m", "\x1b[22m", "\x1b[39m");
    const piece = fc.oneof(sgr, fc.constantFrom("a", "bc", " "));
    fc.assert(
      fc.property(fc.array(fc.array(piece, { maxLength: 8 }).map((p) => p.join("")), { maxLength: 10 }), (lines) => {
        const normalized = normalizeLines(lines);
        let state = parseLine("").end;
        lines.forEach((line, i) => {
          const seq = parseLine(line, state);
          expect(visible(parseLine(normalized[i]!).segments)).toEqual(visible(seq.segments));
          state = seq.end;
        });
      }),
    );
  });
});

describe("terminal extras", () => {
  it("finds the cursor mark, and strips it from the text", () => {
    const line = `ab\x1b[31mc${CURSOR_MARK}d`;
    const { segments, cursor } = parseLine(line);
    expect(segments.map((s) => s.text).join("")).toBe("abcd");
    expect(cursor).toBe(3);
    expect(stripAnsi(line)).toBe("abcd");
    expect(parseLine("abcd").cursor).toBeNull();
  });

  it("reads OSC 8 hyperlinks (BEL or ST), which outlive an SGR reset and end with an empty OSC 8", () => {
    const line = "see \x1b]8;;https://example.com/a\x1b\\docs\x1b[0m here\x1b]8;;\x07 done";
    const segs = parseLine(line).segments;
    expect(segs.map((s) => [s.text, s.style.link])).toEqual([
      ["see ", null],
      ["docs here", "https://example.com/a"],
      [" done", null],
    ]);
    // A link open at the end of a line continues on the next, which renders alone.
    const [, second] = normalizeLines(["\x1b]8;;https://x.test/\x07open", "still"]);
    expect(parseLine(second!).segments[0]!.style.link).toBe("https://x.test/");
  });

  it("keeps trailing cells with a background colour, and drops trailing blanks that show nothing", () => {
    expect(normalizeLines(["ok      ", "\x1b[44mbar     ", "x\x1b[0m   "])).toEqual(["ok", "\x1b[44mbar     ", "\x1b[48;5;4mx\x1b[0m"]);
  });
});
