/**
 * GitHub Copilot CLI's screen, from the recorded screens of 1.0.102 (tests/fixtures/agents/
 * copilot-1.0.102). Working: the footer "◉ Working esc esc interrupt" ("○ Working esc esc edit
 * prompt" before the first token). Waiting: the dialog "Do you want to run this command?", "❯ 1.
 * Yes", whose own last line says "↑/↓ to navigate · enter to select · esc to cancel" (so "esc to
 * cancel" is not work). Idle: the empty "❯" box and the footer "… · / commands · ? help · …".
 * Errors print in the history as "✗ 400 …" above the prompt.
 */
export const COPILOT_RULES = {
  waiting: ["do you want to (run|allow|edit|create|proceed|make)", "❯\\s*1\\.\\s*yes", "\\b1\\. yes\\b", "allow (this|once|always)", "do you trust the files"],
  working: ["\\bworking\\b.*\\besc esc\\b", "esc to interrupt"],
  idle: ["^\\s*[│|]?\\s*[❯>]\\s*[│|]?\\s*$", "/ commands · \\? help", "\\? for shortcuts"],
  error: ["^\\s*(✗|✘)\\s", "^\\s*error:", "api error", "execution failed"],
};
