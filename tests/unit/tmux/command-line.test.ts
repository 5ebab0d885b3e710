import { describe, expect, it } from "vitest";
import { canCarry, commandCount, toCommandLine } from "../../../lib/tmux/command-line.ts";

describe("control channel command lines", () => {
  it("single-quotes every argument and keeps ';' bare as the separator", () => {
    expect(toCommandLine(["display", "-p", "#{pane_id}", ";", "capturep", "-p"])).toBe("'display' '-p' '#{pane_id}' ; 'capturep' '-p'");
  });

  it("writes an embedded quote as '\\''", () => {
    expect(toCommandLine(["display", "-p", "it's"])).toBe("'display' '-p' 'it'\\''s'");
  });

  it("refuses newlines, NUL, empty lists and arguments ending in ';'", () => {
    expect(canCarry(["display", "-p", "a\nb"])).toBe(false);
    expect(canCarry(["display", "-p", "a\rb"])).toBe(false);
    expect(canCarry(["display", "-p", "a\0b"])).toBe(false);
    expect(canCarry(["display", "-p", "x;"])).toBe(false);
    expect(canCarry([])).toBe(false);
    expect(canCarry([";", "display"])).toBe(false);
    expect(canCarry(["display", "-p", "a;b"])).toBe(true);
    expect(() => toCommandLine(["display", "a\nb"])).toThrow(expect.objectContaining({ code: "TMUX_COMMAND_FAILED" }));
  });

  it("counts the commands of a chain", () => {
    expect(commandCount(["display"])).toBe(1);
    expect(commandCount(["display", ";", "capturep", ";", "list-panes"])).toBe(3);
  });
});
