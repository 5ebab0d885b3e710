import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parsePrompt } from "../../../lib/agents/choices.ts";

const screen = (name: string) => readFileSync(new URL(`../../fixtures/choices/${name}.txt`, import.meta.url), "utf8").split("\n");

describe("parsePrompt", () => {
  it("reads Claude Code's permission menu in its box: labels, the question, and Up/Down from the cursor then Enter", () => {
    const p = parsePrompt(screen("claude-waiting"))!;
    expect(p.question).toBe("Do you want to make this edit to queue.ts?");
    expect(p.choices.map((c) => c.label)).toEqual(["Yes", "Yes, allow all edits during this session (shift+tab)", "No, and tell Claude what to do differently (esc)"]);
    expect(p.choices.map((c) => c.keys)).toEqual([["Enter"], ["Down", "Enter"], ["Down", "Down", "Enter"]]);
  });

  it("keeps the prompt's hash while the menu's cursor moves, and moves from where the cursor is", () => {
    const lines = screen("claude-waiting");
    const moved = lines.map((l) => l.replace("❯ 1. Yes", "  1. Yes").replace("  2. Yes, allow", "❯ 2. Yes, allow"));
    const a = parsePrompt(lines)!;
    const b = parsePrompt(moved)!;
    expect(b.hash).toBe(a.hash);
    expect(b.choices.map((c) => c.keys)).toEqual([["Up", "Enter"], ["Enter"], ["Down", "Enter"]]);
  });

  it("gives another prompt another hash", () => {
    const lines = screen("claude-waiting").map((l) => l.replace("queue.ts?", "index.ts?"));
    expect(parsePrompt(lines)!.hash).not.toBe(parsePrompt(screen("claude-waiting"))!.hash);
  });

  it("reads Codex's (y/n) approval and aider's (Y)es/(N)o as y or n then Enter, leaving out keys it cannot press", () => {
    for (const name of ["codex-waiting", "aider-waiting"]) {
      const p = parsePrompt(screen(name))!;
      expect(p.choices).toEqual([
        { label: "Yes", keys: ["y", "Enter"] },
        { label: "No", keys: ["n", "Enter"] },
      ]);
    }
    expect(parsePrompt(screen("aider-waiting"))!.question).toBe("Add lib/parser.ts to the chat? (Y)es/(N)o/(D)on't ask again [Yes]:");
  });

  it("reads a Gemini CLI style radio menu (● on the selected line) and a numbered list without a cursor", () => {
    const gemini = ["Allow execution of: 'git status'?", "", "● 1. Allow once", "  2. Allow for this session", "  3. No, suggest changes (esc)"];
    expect(parsePrompt(gemini)!.choices.map((c) => [c.label, c.keys])).toEqual([
      ["Allow once", ["Enter"]],
      ["Allow for this session", ["Down", "Enter"]],
      ["No, suggest changes (esc)", ["Down", "Down", "Enter"]],
    ]);
    const plain = ["Which one?", "1. apples", "2. pears", "Choose: "];
    expect(parsePrompt(plain)!.choices.map((c) => c.keys)).toEqual([
      ["1", "Enter"],
      ["2", "Enter"],
    ]);
  });

  it("finds nothing on a screen without a prompt, a password prompt, or a [y/n] already answered above the prompt", () => {
    expect(parsePrompt(screen("claude-idle"))).toBeNull();
    expect(parsePrompt(screen("shell-waiting"))).toBeNull();
    expect(parsePrompt(["Continue? [y/n] y", "done", "$ "])).toBeNull();
    expect(parsePrompt(["1. first item of a list the agent printed", "", "some more output", "more", "and more", "then", "a prompt", "> "])).toBeNull();
  });
});
