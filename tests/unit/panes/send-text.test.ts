import { describe, expect, it } from "vitest";
import { normalizeText, textProblem, tmuxLiteral } from "../../../lib/panes/send-text.ts";

describe("textProblem", () => {
  it("refuses C0 controls, ESC, DEL and C1 controls", () => {
    for (const t of ["\x03", "a\rb", "\x1b[201~", "\x00", "\x7f", "\u009b", "x\x04"]) expect(textProblem(t), JSON.stringify(t)).toMatch(/control character/);
  });

  it("allows newlines and tabs only in text of several lines", () => {
    expect(textProblem("a\tb")).toMatch(/tab/);
    expect(textProblem("a\tb\nc")).toBeNull();
    expect(textProblem("one\r\ntwo")).toBeNull();
    expect(textProblem("plain text; with ünïcode ✓")).toBeNull();
    expect(normalizeText("one\r\ntwo")).toBe("one\ntwo");
  });
});

describe("tmuxLiteral", () => {
  it("adds one ';' to an argument ending in ';' and leaves others alone", () => {
    expect(tmuxLiteral("ls;")).toBe("ls;;");
    expect(tmuxLiteral("ls\\;")).toBe("ls\\;;");
    expect(tmuxLiteral("a;b")).toBe("a;b");
    expect(tmuxLiteral("")).toBe("");
  });
});
