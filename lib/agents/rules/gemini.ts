/**
 * Gemini CLI's screen, from the recorded screens of 0.61.0 (tests/fixtures/agents/gemini-0.61.0).
 * Working: "⠧ Thinking... (esc to cancel, 1s)", or its hooks running mid-turn, "⠙ Executing Hooks: …" (a
 * spinner; the line may be cut before its "esc to cancel"; after the turn the line has no spinner). Waiting: the tool dialog ("Allow execution of
 * [Shell]?", "● 1. Allow once", "3. No, suggest changes (esc)"). Idle: the box "> Type your message
 * or @path/to/file" (a placeholder) and "? for shortcuts". Errors: "✕ [API Error: {…}]" followed by
 * "ℹ This request failed. Press F12 for diagnostics…". A quota the API calls terminal (a 429 with a
 * per-day QuotaFailure) brings up a box instead: "Usage limit reached for all Pro models." over
 * "● 1. Keep trying / 2. Stop" (a high-demand box reads "We are currently experiencing high demand").
 * Unsettled, with hooks installed: the hooks' status line torn by a redraw, "? for shortcuts" written
 * over its spinner ("? for shortcutsoks: panecast (1/2), …", its "esc to cancel" cut off at the
 * pane's edge), recorded both mid-turn (between a tool's hooks and the model's answer) and after a
 * turn. Without its spinner and untorn ("  Executing Hooks: panecast (1/2)") the line is what stays up
 * after the turn: idle.
 */
export const GEMINI_RULES = {
  waiting: ["allow execution", "\\b1\\. allow once", "no, suggest changes", "waiting for user confirmation", "\\[y/n\\]", "apply this change\\?"],
  working: ["esc to cancel", "^\\s*[\\u2801-\\u28ff] executing hooks?\\b"],
  idle: ["type your message", "\\? for shortcuts"],
  unsettled: ["^\\s*\\? for shortcuts\\S"],
  error: ["^\\s*✕\\s", "\\[api error:", "this request failed", "usage limit reached", "experiencing high demand", "\\b1\\. keep trying"],
};
