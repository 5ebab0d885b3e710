import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileRules, detectStatus } from "../../../lib/agents/status.ts";
import { stripAnsi } from "../../../lib/ansi.ts";
import type { AgentType } from "../../../lib/protocol.ts";

const rules = compileRules();
const fixture = (name: string) => readFileSync(path.resolve("tests/fixtures/screens", name), "utf8").split("\n");
const read = (agentType: AgentType, lines: string[]) => detectStatus({ agentType, lines, dead: false, atShell: false, recentlyActive: false }, rules, 8, new Date("2026-12-02T10:00:00Z"));

const CLAUDE_BOX = ["", "────────────────────────────────", "❯ ", "────────────────────────────────", "  ? for shortcuts"];

describe("screen rules on recorded screens", () => {
  it.each([
    ["claude-idle.txt", "claude", "idle"],
    ["claude-working.txt", "claude", "working"],
    ["claude-waiting.txt", "claude", "waiting-for-input"],
    ["claude-error.txt", "claude", "error"],
    ["codex-working.txt", "codex", "working"],
    ["codex-waiting.txt", "codex", "waiting-for-input"],
    ["aider-idle.txt", "aider", "idle"],
    ["aider-waiting.txt", "aider", "waiting-for-input"],
    ["shell-waiting.txt", "shell", "waiting-for-input"],
  ] as const)("%s reads as %s → %s", (file, type, state) => {
    expect(read(type, fixture(file)).state).toBe(state);
  });

  it("reads the prompt before old output: an earlier error above an idle prompt is idle", () => {
    expect(fixture("claude-idle.txt").join("\n")).toContain("Error: 3 tests failed");
    expect(read("claude", fixture("claude-idle.txt")).state).toBe("idle");
  });

  it("says which line decided a question or an error", () => {
    expect(read("claude", fixture("claude-waiting.txt")).line).toContain("Do you want to make this edit");
    expect(read("claude", fixture("claude-error.txt")).line).toContain("ENOENT");
  });

  it("a shell at its prompt is idle; a pane with nothing definite follows its activity; a dead pane exited", () => {
    expect(detectStatus({ agentType: "shell", lines: fixture("shell-idle.txt"), dead: false, atShell: true, recentlyActive: false }, rules).state).toBe("idle");
    const lines = ["compiling module 12 of 40"];
    expect(detectStatus({ agentType: "other", lines, dead: false, atShell: false, recentlyActive: true }, rules).state).toBe("working");
    expect(detectStatus({ agentType: "other", lines, dead: false, atShell: false, recentlyActive: false }, rules).state).toBe("idle");
    expect(detectStatus({ agentType: "claude", lines, dead: true, atShell: false, recentlyActive: true }, rules).state).toBe("exited");
  });

  it("takes rules from config, replacing the default list of that state", () => {
    const custom = compileRules({ other: { waiting: ["approve deploy\\?"] } });
    const s = detectStatus({ agentType: "other", lines: ["approve deploy?"], dead: false, atShell: false, recentlyActive: false }, custom);
    expect(s.state).toBe("waiting-for-input");
  });

  it("an old error above a later answer is superseded: the recorded idle screen has no typing and no error", () => {
    expect(read("claude", fixture("claude-idle.txt"))).toEqual({ state: "idle", line: null, decisive: true });
  });
});

describe("errors above the prompt", () => {
  it("an API error just above Claude's prompt is an error, with its reason, though the prompt is drawn below it", () => {
    const d = read("claude", ["> hello", "", "  ⎿  API Error: 400 {\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\"}}", ...CLAUDE_BOX]);
    expect(d).toMatchObject({ state: "error", reason: "unknown", decisive: true });
    expect(d.line).toContain("API Error: 400");
  });

  it("a 529 after retries is overloaded; a 401 is auth; a missing model is model-unavailable", () => {
    expect(read("claude", ["  ⎿  API Error: 529 Overloaded · Retried 10 times", ...CLAUDE_BOX]).reason).toBe("overloaded");
    expect(read("claude", ["  ⎿  API Error: 401 authentication_error: invalid x-api-key", ...CLAUDE_BOX]).reason).toBe("auth");
    expect(read("claude", ["  ⎿  API Error: 404 model: claude-nope not found", ...CLAUDE_BOX]).reason).toBe("model-unavailable");
  });

  it("a rate limit carries its reset time when the screen shows one", () => {
    const d = read("claude", ["  ⎿  API Error: 429 rate limit reached · try again in 2h 5m", ...CLAUDE_BOX]);
    expect(d).toMatchObject({ state: "error", reason: "rate-limit", resetAt: "2026-12-02T12:05:00.000Z" });
  });

  it("Codex's ■ error line above its prompt is an error", () => {
    const d = read("codex", ["› hi", "", '■ {"error":{"message":"server_error","code":500}}', "", "›", "", "  100% context left · ? for shortcuts"]);
    expect(d).toMatchObject({ state: "error", reason: "server" });
  });

  it("a later turn between the error and the prompt supersedes it", () => {
    const d = read("claude", ["  ⎿  API Error: 500 internal server error", "> try again", "● Done: it worked this time.", ...CLAUDE_BOX]);
    expect(d.state).toBe("idle");
  });
});

describe("Codex 0.171 streaming an answer: only its title says so", () => {
  // Recorded mid-stream: the screen is the idle prompt's; the title carries a braille spinner.
  const streaming = fixture("codex-streaming.txt");
  const withTitle = (title: string) => detectStatus({ agentType: "codex", lines: streaming, dead: false, atShell: false, recentlyActive: true, title }, rules, 8);

  it("the spinner before the title is working", () => {
    expect(withTitle("⠋ Tell me something | repo")).toMatchObject({ state: "working", decisive: true });
    expect(withTitle("⠸ repo").state).toBe("working");
  });

  it("the same screen once the spinner is gone is idle", () => {
    expect(withTitle("Tell me something | repo")).toMatchObject({ state: "idle", decisive: true });
  });

  it("a question on screen still wins over the spinner", () => {
    expect(detectStatus({ agentType: "codex", lines: fixture("codex-waiting.txt"), dead: false, atShell: false, recentlyActive: true, title: "⠋ Make a file | repo" }, rules, 8).state).toBe("waiting-for-input");
  });

  it("other agents' titles say nothing", () => {
    expect(detectStatus({ agentType: "claude", lines: fixture("claude-idle.txt"), dead: false, atShell: false, recentlyActive: false, title: "⠋ Claude Code" }, rules, 8).state).toBe("idle");
  });
});

describe("Gemini CLI's quota box", () => {
  it("a terminal 429 (per-day quota) is an error with reason rate-limit, read from the box's heading", () => {
    // As Gemini CLI 0.61 draws it for the Gemini API's per-day QuotaFailure (the fake sends that body).
    expect(read("gemini", fixture("gemini-usage-limit.txt"))).toMatchObject({ state: "error", reason: "rate-limit", line: "Usage limit reached for all Pro models." });
  });
});

describe("an error line with no reason of its own", () => {
  const box = ["────────", " >   Type your message or @path/to/file", "────────"];
  it("takes the reason of the API error above it in the same turn (Gemini's \"This request failed\")", () => {
    const lines = [" > Try error-401", '✕ [API Error: {"error":{"code":401,"message":"invalid x-api-key","status":"UNAUTHENTICATED"}}]', "ℹ This request failed. Press F12 for diagnostics.", ...box];
    expect(read("gemini", lines)).toMatchObject({ state: "error", reason: "auth" });
  });

  it("never the reason of an older turn's error", () => {
    const lines = ['✕ [API Error: {"error":{"code":401}}]', " > Try again", "ℹ This request failed. Press F12 for diagnostics.", ...box];
    expect(read("gemini", lines)).toMatchObject({ state: "error", reason: "unknown" });
  });
});

describe("typing", () => {
  it("text in Claude's input box is idle (typing), never working", () => {
    expect(read("claude", ["● Done.", "", "────────", "❯ refactor the parser please", "────────", "  ? for shortcuts"])).toMatchObject({ state: "idle", typing: true, decisive: true });
  });

  it("typing below an old error is idle, not error, whatever the text says", () => {
    const d = read("claude", ["  ⎿  API Error: 400 bad request", "", "────────", "❯ error: why did that fail?", "────────", "  ? for shortcuts"]);
    expect(d).toMatchObject({ state: "idle", typing: true });
  });

  it("typing while Claude works is still working", () => {
    expect(read("claude", ["✻ Cogitating… (3s · ↑ 1k tokens · esc to interrupt)", "────────", "❯ next idea", "────────"]).state).toBe("working");
  });
});

describe("the other agent CLIs", () => {
  it.each([
    ["qwen", ["│ > Type your message or @path/to/file │"], "idle"],
    ["qwen", ["⠏ Thinking about it (esc to cancel, 3s)"], "working"],
    ["qwen", ["│ Allow execution of: 'ls'?", "│ ● 1. Yes, allow once"], "waiting-for-input"],
    ["opencode", ["△ Permission required", "  Allow once   Allow always   Reject"], "waiting-for-input"],
    ["opencode", ['┃ Ask anything... "Fix a TODO in the codebase"'], "idle"],
    ["cline", ["Thinking... (esc to cancel)"], "working"],
    ["crush", ["Permission Required", "  Allow   Allow for Session   Deny"], "waiting-for-input"],
  ] as const)("%s: %j → %s", (type, lines, state) => {
    expect(read(type, [...lines]).state).toBe(state);
  });
});

// Frames Gemini CLI 0.61.0 was recorded drawing mid-turn (tests/fixtures/agents/gemini-0.61.0-replays).
describe("a frame caught mid-redraw decides nothing", () => {
  const GEMINI_FOOTER = ["────────", " Shift+Tab to accept edits", " >   Type your message or @path/to/file", " workspace (/directory)     branch     sandbox", " ~/repo                     main       no sandbox"];

  it("the hooks' status line torn by a redraw (no spinner, its esc to cancel cut off) leaves the prompt undecided", () => {
    const torn = readFileSync(path.resolve("tests/fixtures/agents/gemini-0.61.0-replays/torn-status-line.screen"), "utf8").split("\n");
    expect(stripAnsi(torn.join("\n"))).toMatch(/\? for shortcutsoks: harness-recorder/);
    expect(read("gemini", torn)).toMatchObject({ state: "idle", decisive: false });
    expect(detectStatus({ agentType: "gemini", lines: torn, dead: false, atShell: false, recentlyActive: true }, rules).state).toBe("working");
    // The same line whole and without its spinner is what stays up after a turn: idle.
    expect(read("gemini", ["✦ Done.", "  Executing Hooks: panecast (1/1)             ? for shortcuts", ...GEMINI_FOOTER])).toMatchObject({ state: "idle", decisive: true });
  });

  it("a prompt echoed in the history, where a redraw from the top stopped, is not text typed into the input box", () => {
    for (const lines of [[" > Tell me something", "", "✦ A streamed answer.", "", " > Make a file (quick)"], [" > Tell me something", "", "✦ A streamed answer."]]) {
      expect(read("gemini", lines)).toMatchObject({ decisive: false });
      expect(read("gemini", lines).typing).toBeUndefined();
    }
    // Text in the box, with its footer drawn below it: typing.
    expect(read("gemini", ["✦ A streamed answer.", "────────", " Shift+Tab to accept edits", " > a prompt not sent yet", " workspace (/directory)     branch"])).toMatchObject({ state: "idle", typing: true, decisive: true });
  });
});
