import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parsePrompt } from "../../../lib/agents/choices.ts";

const screen = (name: string) => readFileSync(new URL(`../../fixtures/choices/${name}.txt`, import.meta.url), "utf8").split("\n");
/** Screens recorded from the real CLIs (Claude Code 2.1.197, Codex 0.171.0, Gemini CLI 0.61.0) asking to run a command. */
const recorded = (name: string) => readFileSync(new URL(`../../fixtures/choices/${name}-approve.screen`, import.meta.url), "utf8").split("\n");

describe("parsePrompt", () => {
  it("reads Claude Code's permission menu in its box: labels, the question, and Up/Down from the cursor then Enter", () => {
    const p = parsePrompt(screen("claude-waiting"))!;
    expect(p.question).toBe("Do you want to make this edit to queue.ts?");
    expect(p.choices.map((c) => c.label)).toEqual(["Yes", "Yes, allow all edits during this session (shift+tab)", "No, and tell Claude what to do differently (esc)"]);
    expect(p.choices.map((c) => c.keys)).toEqual([["Enter"], ["Down", "Enter"], ["Down", "Down", "Enter"]]);
  });

  it("reads the permission menus of the real Claude Code, Codex and Gemini CLI, answered from their cursor", () => {
    const claude = parsePrompt(recorded("claude-2.1.197"))!;
    expect(claude.question).toBe("Do you want to proceed?");
    expect(claude.choices.map((c) => [c.label, c.keys])).toEqual([
      ["Yes", ["Enter"]],
      ["Yes, and always allow access to repo/ from this project", ["Down", "Enter"]],
      ["No", ["Down", "Down", "Enter"]],
    ]);
    const codex = parsePrompt(recorded("codex-0.171.0"))!;
    expect(codex.choices.map((c) => c.label)).toEqual([
      "Yes, proceed (y)",
      "Yes, and don't ask again for commands that start with `touch approved.txt` (p)",
      "No, and tell Codex what to do differently (esc)",
    ]);
    expect(codex.choices[2]!.keys).toEqual(["Down", "Down", "Enter"]);
    const gemini = parsePrompt(recorded("gemini-0.61.0"))!;
    expect(gemini.question).toBe("Allow execution of [Shell]?");
    expect(gemini.choices.map((c) => [c.label, c.keys])).toEqual([
      ["Allow once", ["Enter"]],
      ["Allow for this session", ["Down", "Enter"]],
      ["No, suggest changes (esc)", ["Down", "Down", "Enter"]],
    ]);
  });

  it("keeps the prompt's hash while the menu's cursor moves, and moves from where the cursor is", () => {
    const lines = screen("claude-waiting");
    const moved = lines.map((l) => l.replace("❯ 1. Yes", "  1. Yes").replace("  2. Yes, allow", "❯ 2. Yes, allow"));
    const a = parsePrompt(lines)!;
    const b = parsePrompt(moved)!;
    expect(b.hash).toBe(a.hash);
    expect(b.choices.map((c) => c.keys)).toEqual([["Up", "Enter"], ["Enter"], ["Down", "Enter"]]);
  });

  it("keeps a yes/no prompt's hash while an answer is being typed after it", () => {
    const asked = parsePrompt(["$ ./deploy", "Deploy now? [y/n] "])!;
    const typing = parsePrompt(["$ ./deploy", "Deploy now? [y/n] n"])!;
    expect(typing.question).toBe("Deploy now? [y/n]");
    expect(typing.hash).toBe(asked.hash);
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
