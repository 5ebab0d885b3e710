/**
 * Codex CLI's screen, from the recorded screens of 0.171.0 (tests/fixtures/agents/codex-0.171.0).
 * Working: "• Working (4s • esc to interrupt)" while a command runs, and before the first token
 * "Waiting for startup · esc cancel"; while it streams an answer the screen shows nothing of the
 * kind, only the title does (CODEX_TITLE_RULES). Waiting: "Would you like to run the following command?", the choices ("› 1. Yes,
 * proceed (y)") and "Press enter to confirm or esc to cancel". After an approval the history keeps
 * "✔ You approved codex to run …": not a question. Idle: the box "› Ask Codex to do anything" (a
 * placeholder, drawn dim) and "? for shortcuts". Errors: a "■" line ("■ {"error":…}", "■ unexpected
 * status 401 …", "■ exceeded retry limit, last status: 429 …"), except "■ Conversation interrupted"
 * after Esc, which is idle.
 */
export const CODEX_RULES = {
  waiting: ["would you like to (run|make|apply)", "press enter to confirm", "yes, proceed \\(y\\)", "allow command\\?", "\\[y/n\\]", "\\(y/n\\)"],
  working: ["esc to interrupt", "·\\s*esc cancel", "^\\s*[•◦]\\s*working\\b"],
  idle: ["^\\s*[▌›>]\\s*$", "ask codex to do anything", "\\? for shortcuts"],
  error: ["^\\s*■\\s+(?!conversation interrupted)", "unexpected status \\d{3}", "exceeded retry limit", "stream error"],
};

/**
 * Codex 0.171 puts a braille spinner before its terminal title for as long as a turn runs
 * ("⠸ Tell me something | repo"), streaming included, and drops it when the turn ends ("Tell me
 * something | repo"): recorded with the pane title beside each screen (tests/fixtures/agents).
 */
export const CODEX_TITLE_RULES = ["^\\s*[\\u2801-\\u28ff]\\s"];
