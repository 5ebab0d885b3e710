/**
 * Claude Code's screen, from the recorded screens of 2.1.197 (tests/fixtures/agents/claude-2.1.197).
 * Working: the footer says "esc to interrupt" and a spinner line ends its verb with "…"
 * ("✻ Recombobulating… (1s · ↓ 6 tokens)"); done, the same line says "✻ Sautéed for 5s".
 * Waiting: the permission dialog ("Do you want to proceed?", "❯ 1. Yes", "Esc to cancel · Tab to
 * amend"). Idle: the empty "❯" box and "? for shortcuts". Errors print above the prompt as
 * "● API Error: 400 …", "● API Error: 529 Overloaded…", "⎿  Invalid API key · Fix external API key".
 */
export const CLAUDE_RULES = {
  waiting: ["do you want to (proceed|make this edit|create|run|allow)", "❯\\s*1\\.\\s*yes", "\\b1\\. yes\\b", "esc to cancel · tab to amend", "would you like to", "\\[y/n\\]", "press enter to continue", "allow (this|once|always)"],
  working: ["esc to interrupt", "\\(\\d+s · [↑↓]", "^\\s*[✻✽✶✳✢·*]\\s+\\S+…"],
  idle: ["^\\s*[│|]?\\s*[❯>]\\s*$", "\\? for shortcuts"],
  error: ["^\\s*(✗|✘)\\s", "^\\s*error:", "api error", "^\\s*⎿\\s*error", "invalid api key"],
};
